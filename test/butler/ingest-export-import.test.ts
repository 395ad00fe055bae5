import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportRepository, importRepository, ingestFiles, pruneDatasets, removeRuns, retrieveArtifacts, type Butler } from '../../src/butler/index.js';
import { ConflictError, InvalidInputError } from '../../src/errors/index.js';
import { backends } from '../support/backends.js';
import { makeButler } from '../support/butlers.js';
import { populateSmallUniverse } from '../support/populate.js';

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() || e.isSymbolicLink()).map((e) => join(e.parentPath, e.name));
}

describe.each(backends)('butler operations on $name', ({ make }) => {
  let disposers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const d of disposers) await d();
    disposers = [];
  });
  async function fresh(): Promise<{ butler: Butler; dir: string; repo: string }> {
    const b = await makeButler(make);
    disposers.push(b.dispose);
    await populateSmallUniverse(b.butler.registry);
    await b.butler.registry.registerDatasetType({ name: 'calexp', dimensions: ['visit', 'detector'], storageClass: 'ExposureF' });
    return b;
  }
  function sources(dir: string, n: number): string[] {
    mkdirSync(join(dir, 'src'), { recursive: true });
    return Array.from({ length: n }, (_, i) => {
      const p = join(dir, 'src', `f${i}.fits`);
      writeFileSync(p, `content ${i}`);
      return p;
    });
  }

  it('ingests with copy and symlink, recording size and checksum at template paths', async () => {
    const { butler, dir, repo } = await fresh();
    const [a, b] = sources(dir, 2);
    const copied = await ingestFiles(butler, { datasetType: 'calexp', run: 'ingest/copy', transfer: 'copy', files: [{ path: a!, dataId: { instrument: 'HSC', visit: 1, detector: 0 } }] });
    const linked = await ingestFiles(butler, { datasetType: 'calexp', run: 'ingest/link', transfer: 'symlink', files: [{ path: b!, dataId: { instrument: 'HSC', visit: 2, detector: 1 } }] });
    const [recA] = await butler.artifactsOf(copied);
    const [recB] = await butler.artifactsOf(linked);
    expect(recA?.path).toBe('ingest/copy/calexp/r/20240101/HSC-R/v1/calexp_HSC_r_HSC-R_1_0_ingest_copy.fits');
    expect(readFileSync(join(repo, recA!.path), 'utf8')).toBe('content 0');
    expect(recA?.fileSize).toBe(9);
    expect(recA?.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(lstatSync(join(repo, recB!.path)).isSymbolicLink()).toBe(true);
    expect(existsSync(a!)).toBe(true);
  });

  it('ingests nothing and places no file when one data ID is bad', async () => {
    const { butler, dir, repo } = await fresh();
    const files = sources(dir, 3);
    const before = listFiles(repo);
    const err = await ingestFiles(butler, {
      datasetType: 'calexp',
      run: 'bad',
      transfer: 'copy',
      files: [
        { path: files[0]!, dataId: { instrument: 'HSC', visit: 1, detector: 0 } },
        { path: files[1]!, dataId: { instrument: 'HSC', visit: 2, detector: 0 } },
        { path: files[2]!, dataId: { instrument: 'HSC', visit: 1, detector: 0 } },
      ],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(listFiles(repo)).toEqual(before);
    expect(await butler.registry.findCollection('bad')).toBeUndefined();
  });

  it('moves files back when a move ingest fails', async () => {
    const { butler, dir } = await fresh();
    const files = sources(dir, 2);
    await ingestFiles(butler, { datasetType: 'calexp', run: 'm', transfer: 'copy', files: [{ path: files[0]!, dataId: { instrument: 'HSC', visit: 1, detector: 0 } }] });
    const err = await ingestFiles(butler, {
      datasetType: 'calexp',
      run: 'm',
      transfer: 'move',
      files: [
        { path: files[1]!, dataId: { instrument: 'HSC', visit: 2, detector: 0 } },
        { path: files[0]!, dataId: { instrument: 'HSC', visit: 1, detector: 0 } },
      ],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(existsSync(files[0]!) && existsSync(files[1]!)).toBe(true);
  });

  it('never places a file outside the datastore for hostile data-ID values and run names', async () => {
    const { butler, dir, repo } = await fresh();
    await butler.registry.insertDimensionRecords('instrument', [{ name: '../../etc' }]);
    await butler.registry.insertDimensionRecords('detector', [{ instrument: '../../etc', id: 0 }]);
    await butler.registry.registerDatasetType({ name: 'bias', dimensions: ['detector'], storageClass: 'ExposureF' });
    const [f] = sources(dir, 1);
    const refs = await ingestFiles(butler, { datasetType: 'bias', run: '../../../outside', transfer: 'copy', files: [{ path: f!, dataId: { instrument: '../../etc', detector: 0 } }] });
    const [rec] = await butler.artifactsOf(refs);
    expect(rec?.path.split('/')).not.toContain('..');
    expect(listFiles(dir).filter((p) => !p.startsWith(repo) && !p.startsWith(join(dir, 'src')))).toEqual([]);
  });

  it('round-trips runs, chains, tags, certifications and files through export and import', async () => {
    const src = await fresh();
    const files = sources(src.dir, 2);
    await ingestFiles(src.butler, { datasetType: 'calexp', run: 'r1', transfer: 'copy', files: [{ path: files[0]!, dataId: { instrument: 'HSC', visit: 1, detector: 0 } }] });
    await src.butler.registry.registerDatasetType({ name: 'flat', dimensions: ['physical_filter', 'detector'], storageClass: 'ExposureF', isCalibration: true });
    const flats = await ingestFiles(src.butler, { datasetType: 'flat', run: 'calib/r', transfer: 'copy', files: [{ path: files[1]!, dataId: { instrument: 'HSC', physical_filter: 'HSC-R', detector: 0 } }] });
    await src.butler.registry.registerCollection('HSC/calib', 'CALIBRATION');
    await src.butler.registry.certify('HSC/calib', flats, { begin: 1000, end: 2000 });
    await src.butler.registry.registerCollection('best', 'TAGGED');
    await src.butler.registry.associate('best', flats);
    await src.butler.registry.registerCollection('all', 'CHAINED');
    await src.butler.registry.setCollectionChain('all', ['r1', 'HSC/calib', 'best']);
    const out = join(src.dir, 'export');
    const result = await exportRepository(src.butler, { collections: ['all'], directory: out, transfer: 'copy' });
    expect(result.datasets).toBe(2);

    const dst = await makeButler(make);
    disposers.push(dst.dispose);
    const imported = await importRepository(dst.butler, { directory: out, transfer: 'copy' });
    expect(imported.datasets).toBe(2);
    const reg = dst.butler.registry;
    expect(await reg.getCollectionChain('all')).toEqual(['r1', 'HSC/calib', 'best']);
    const flat = await reg.findDataset('flat', { instrument: 'HSC', physical_filter: 'HSC-R', detector: 0 }, ['all'], { begin: 1500, end: 1600 });
    expect(flat?.id).toBe(flats[0]?.id);
    const calexp = await reg.findDataset('calexp', { instrument: 'HSC', visit: 1, detector: 0 }, ['all']);
    const [rec] = await dst.butler.artifactsOf([calexp!]);
    expect(readFileSync(dst.butler.datastore.absolutePath(rec!.path), 'utf8')).toBe('content 0');
  });

  it('leaves the registry unchanged when an export file is malformed half-way', async () => {
    const src = await fresh();
    const out = join(src.dir, 'bad-export');
    mkdirSync(out);
    writeFileSync(
      join(out, 'export.yaml'),
      'version: 1\ndata:\n  - {type: collection, collection_type: RUN, name: newrun}\n  - {type: dataset, dataset_type: calexp, run: newrun, records: [{dataset_id: 0190f0a2-0000-7000-8000-000000000001}]}\n',
    );
    const err = await importRepository(src.butler, { directory: out, transfer: 'copy' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as Error).message).toContain('data[1].records[0].data_id must be a mapping');
    expect((err as Error).message).toContain('export.yaml');
    writeFileSync(
      join(out, 'export.yaml'),
      'version: 1\ndata:\n  - {type: collection, collection_type: RUN, name: newrun}\n  - {type: dataset, dataset_type: nosuchtype, run: newrun, records: [{dataset_id: 0190f0a2-0000-7000-8000-000000000001, data_id: {instrument: HSC}}]}\n',
    );
    await expect(importRepository(src.butler, { directory: out, transfer: 'copy' })).rejects.toThrow(/data\[1\].*Dataset type "nosuchtype" does not exist/);
    expect(await src.butler.registry.findCollection('newrun')).toBeUndefined();
  });

  it('removes runs with their files, unstores and retrieves artifacts', async () => {
    const { butler, dir, repo } = await fresh();
    const files = sources(dir, 2);
    const refs = await ingestFiles(butler, {
      datasetType: 'calexp',
      run: 'gone',
      transfer: 'copy',
      files: [
        { path: files[0]!, dataId: { instrument: 'HSC', visit: 1, detector: 0 } },
        { path: files[1]!, dataId: { instrument: 'HSC', visit: 2, detector: 0 } },
      ],
    });
    const got = await retrieveArtifacts(butler, refs, { destination: join(dir, 'out'), clobber: false });
    expect(got).toHaveLength(2);
    await expect(retrieveArtifacts(butler, refs, { destination: join(dir, 'out'), clobber: false })).rejects.toThrow(/already exists/);
    const unstored = await pruneDatasets(butler, refs.slice(0, 1), 'unstore');
    expect(unstored.files).toBe(1);
    expect((await butler.artifactsOf(refs))[0]).toBeUndefined();
    const removed = await removeRuns(butler, ['gone']);
    expect(removed).toEqual({ datasets: 1, files: 1 });
    expect(listFiles(join(repo, 'gone'))).toEqual([]);
  });
});
