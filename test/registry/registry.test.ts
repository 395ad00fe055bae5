import { afterEach, describe, expect, it } from 'vitest';
import { ConflictError, InvalidInputError, NotFoundError } from '../../src/errors/index.js';
import type { Registry } from '../../src/registry/index.js';
import { backends, makeRegistry } from '../support/backends.js';
import { micros, populateSmallUniverse } from '../support/populate.js';

describe.each(backends)('registry on $name', ({ make }) => {
  let disposers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const d of disposers) await d();
    disposers = [];
  });
  async function fresh(): Promise<Registry> {
    const r = await makeRegistry(make);
    disposers.push(r.dispose);
    await populateSmallUniverse(r.registry);
    return r.registry;
  }

  it('registers dataset types idempotently and names both definitions on conflict', async () => {
    const registry = await fresh();
    const first = await registry.registerDatasetType({ name: 'calexp', dimensions: ['visit', 'detector'], storageClass: 'ExposureF' });
    expect(first.created).toBe(true);
    expect(first.datasetType.dimensions).toEqual(['instrument', 'detector', 'visit']);
    const again = await registry.registerDatasetType({ name: 'calexp', dimensions: ['detector', 'visit'], storageClass: 'ExposureF' });
    expect(again.created).toBe(false);
    const err = await registry.registerDatasetType({ name: 'calexp', dimensions: ['visit'], storageClass: 'ExposureF' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as Error).message).toContain('calexp(instrument, detector, visit)');
    expect((err as Error).message).toContain('calexp(instrument, visit)');
  });

  it('expands a visit data ID to its implied physical_filter, band and day_obs', async () => {
    const registry = await fresh();
    const expanded = await registry.expandDataId(['visit', 'detector'], { instrument: 'HSC', visit: '2', detector: 1 });
    expect(expanded.dataId).toEqual({ instrument: 'HSC', detector: 1, visit: 2, physical_filter: 'HSC-R', band: 'r', day_obs: 20240101 });
    expect(expanded.records['visit']?.['exposure_time']).toBe(60);
    await expect(registry.expandDataId(['visit'], { instrument: 'HSC', visit: 99 })).rejects.toThrow(/No visit record for \{instrument='HSC', visit=99\}/);
  });

  it('keeps one dataset per type and data ID in a run and leaves the run unchanged on a duplicate', async () => {
    const registry = await fresh();
    await registry.registerDatasetType({ name: 'calexp', dimensions: ['visit', 'detector'], storageClass: 'ExposureF' });
    await registry.registerRun('run/a');
    const refs = await registry.insertDatasets({ datasetType: 'calexp', run: 'run/a', dataIds: [{ instrument: 'HSC', visit: 1, detector: 0 }] });
    expect(refs[0]?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const err = await registry
      .insertDatasets({ datasetType: 'calexp', run: 'run/a', dataIds: [{ instrument: 'HSC', visit: 2, detector: 0 }, { instrument: 'HSC', visit: 1, detector: 0 }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as Error).message).toContain("{instrument='HSC', detector=0, visit=1}");
    const all = await registry.queryDatasets({ datasetTypes: [await registry.getDatasetType('calexp')], collections: ['run/a'] });
    expect(all).toHaveLength(1);
  });

  it('refuses datasets whose dimension values have no record', async () => {
    const registry = await fresh();
    await registry.registerDatasetType({ name: 'calexp', dimensions: ['visit', 'detector'], storageClass: 'ExposureF' });
    await registry.registerRun('run/a');
    await expect(registry.insertDatasets({ datasetType: 'calexp', run: 'run/a', dataIds: [{ instrument: 'HSC', visit: 42, detector: 0 }] })).rejects.toThrow(
      /refers to visit \{instrument='HSC', visit=42\}, which has no record/,
    );
  });

  it('finds the first dataset along a chain and skips collections without the type', async () => {
    const registry = await fresh();
    await registry.registerDatasetType({ name: 'calexp', dimensions: ['visit', 'detector'], storageClass: 'ExposureF' });
    await registry.registerDatasetType({ name: 'src', dimensions: ['visit', 'detector'], storageClass: 'SourceCatalog' });
    for (const run of ['old', 'new', 'other']) await registry.registerRun(run);
    const d = (visit: number) => ({ instrument: 'HSC', visit, detector: 0 });
    const [old1] = await registry.insertDatasets({ datasetType: 'calexp', run: 'old', dataIds: [d(1), d(2)] });
    const [new2] = await registry.insertDatasets({ datasetType: 'calexp', run: 'new', dataIds: [d(2)] });
    await registry.insertDatasets({ datasetType: 'src', run: 'other', dataIds: [d(3)] });
    await registry.registerCollection('inner', 'CHAINED');
    await registry.setCollectionChain('inner', ['new', 'other']);
    await registry.registerCollection('outer', 'CHAINED');
    await registry.setCollectionChain('outer', ['inner', 'old']);
    expect(await registry.flattenCollections(['outer'])).toEqual(['new', 'other', 'old']);
    const found = await registry.findDatasets({ datasetType: 'calexp', collections: ['outer'], dataIds: [d(1), d(2), d(3)] });
    expect(found.map((r) => r?.id)).toEqual([old1?.id, new2?.id, undefined]);
    expect(found[1]?.run).toBe('new');
  });

  it('refuses chain cycles and names the cycle', async () => {
    const registry = await fresh();
    await registry.registerCollection('a', 'CHAINED');
    await registry.registerCollection('b', 'CHAINED');
    await registry.setCollectionChain('a', ['b']);
    await expect(registry.setCollectionChain('b', ['a'])).rejects.toThrow('b -> a -> b');
    expect(await registry.getCollectionChain('b')).toEqual([]);
  });

  it('reports unknown collections with a suggestion and wrong types with the fix', async () => {
    const registry = await fresh();
    await registry.registerRun('HSC/runs/ci');
    const err = await registry.getCollection('HSC/run/ci').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as Error).message).toBe('Collection "HSC/run/ci" does not exist. Did you mean "HSC/runs/ci"?');
    await expect(registry.setCollectionChain('HSC/runs/ci', [])).rejects.toThrow('Collection "HSC/runs/ci" is RUN, but a CHAINED collection is needed here.');
    await expect(registry.registerCollection('HSC/runs/ci', 'TAGGED')).rejects.toBeInstanceOf(ConflictError);
    await expect(registry.registerRun('bad,name')).rejects.toBeInstanceOf(InvalidInputError);
  });

  it('tags datasets and finds them through a TAGGED collection', async () => {
    const registry = await fresh();
    await registry.registerDatasetType({ name: 'calexp', dimensions: ['visit', 'detector'], storageClass: 'ExposureF' });
    await registry.registerRun('r1');
    const refs = await registry.insertDatasets({ datasetType: 'calexp', run: 'r1', dataIds: [{ instrument: 'HSC', visit: 1, detector: 0 }] });
    await registry.registerCollection('best', 'TAGGED');
    await registry.associate('best', refs);
    await registry.associate('best', refs);
    const found = await registry.findDataset('calexp', { instrument: 'HSC', visit: 1, detector: 0 }, ['best']);
    expect(found?.id).toBe(refs[0]?.id);
    await registry.disassociate('best', refs);
    expect(await registry.findDataset('calexp', { instrument: 'HSC', visit: 1, detector: 0 }, ['best'])).toBeUndefined();
  });

  it('certifies calibrations: abutting ranges allowed, overlapping ranges refused, lookup by time', async () => {
    const registry = await fresh();
    await registry.registerDatasetType({ name: 'flat', dimensions: ['physical_filter', 'detector'], storageClass: 'ExposureF', isCalibration: true });
    await registry.registerRun('calib/run');
    const dataIds = [
      { instrument: 'HSC', physical_filter: 'HSC-R', detector: 0 },
    ];
    await registry.registerRun('calib/run2');
    const [a] = await registry.insertDatasets({ datasetType: 'flat', run: 'calib/run', dataIds });
    const [b] = await registry.insertDatasets({ datasetType: 'flat', run: 'calib/run2', dataIds });
    await registry.registerCollection('HSC/calib', 'CALIBRATION');
    const t0 = micros('2024-01-01T00:00:00Z');
    const t1 = micros('2024-01-02T00:00:00Z');
    await registry.certify('HSC/calib', [a!], { begin: t0, end: t1 });
    await registry.certify('HSC/calib', [b!], { begin: t1, end: null });
    const err = await registry.certify('HSC/calib', [a!], { begin: t0 + 1, end: t1 + 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as Error).message).toMatch(/overlaps an existing certification/);
    const early = await registry.findDataset('flat', dataIds[0]!, ['HSC/calib'], { begin: t0 + 10, end: t0 + 20 });
    const late = await registry.findDataset('flat', dataIds[0]!, ['HSC/calib'], { begin: t1 + 10, end: t1 + 20 });
    expect([early?.id, late?.id]).toEqual([a?.id, b?.id]);
    await expect(registry.findDataset('flat', dataIds[0]!, ['HSC/calib'], { begin: t1 - 10, end: t1 + 10 })).rejects.toThrow(/2 flat calibrations/);
  });

  it('removes runs with their datasets and unlinks them from chains', async () => {
    const registry = await fresh();
    await registry.registerDatasetType({ name: 'calexp', dimensions: ['visit', 'detector'], storageClass: 'ExposureF' });
    await registry.registerRun('r1');
    await registry.registerRun('r2');
    await registry.insertDatasets({ datasetType: 'calexp', run: 'r1', dataIds: [{ instrument: 'HSC', visit: 1, detector: 0 }] });
    await registry.registerCollection('chain', 'CHAINED');
    await registry.setCollectionChain('chain', ['r1', 'r2']);
    await expect(registry.removeCollections(['r1'])).rejects.toThrow(/is a RUN collection/);
    await registry.removeRuns(['r1']);
    expect(await registry.getCollectionChain('chain')).toEqual(['r2']);
    expect(await registry.findCollection('r1')).toBeUndefined();
    expect(await registry.queryDatasets({ datasetTypes: [await registry.getDatasetType('calexp')], collections: ['chain'] })).toEqual([]);
  });

  it('rolls back every write of a failed transaction', async () => {
    const registry = await fresh();
    await expect(
      registry.transaction(async (r) => {
        await r.registerRun('temp');
        await r.registerDatasetType({ name: 'x', dimensions: ['visit'], storageClass: 'StructuredDataDict' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await registry.findCollection('temp')).toBeUndefined();
    expect(await registry.queryDatasetTypes()).toEqual([]);
  });
});
