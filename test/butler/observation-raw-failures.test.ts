import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestRawsError, ingestRaws, registerInstrument, type Butler } from '../../src/butler/index.js';
import { backends } from '../support/backends.js';
import { useFreshButlers } from '../support/butlers.js';
import { countRows, demoRawHeader, listRepoFiles, makeDemoDir, writeRaw } from './observation-fixtures.js';

let demo: Awaited<ReturnType<typeof makeDemoDir>>;
beforeAll(async () => {
  demo = await makeDemoDir();
});
afterAll(() => demo.cleanup());

describe.each(backends)('raw ingest failures on $name', ({ make }) => {
  const makeFresh = useFreshButlers(make);
  async function fresh(): Promise<{ butler: Butler; repo: string; dir: string }> {
    const b = await makeFresh();
    await registerInstrument(b.butler, 'DemoCam');
    return b;
  }
  /** Two good demo raws and one bad file of each kind, in `dir/in`. */
  async function mixedInput(dir: string): Promise<{ input: string; good: string[]; bad: Record<'corrupt' | 'missing' | 'instrument' | 'filter', string> }> {
    const input = join(dir, 'in');
    mkdirSync(join(input, 'sub'), { recursive: true });
    const good = demo.data.rawFiles.filter((f) => f.exposure === 100).map((f) => {
      const to = join(input, 'sub', basename(f.path));
      copyFileSync(f.path, to);
      return to;
    });
    const corrupt = join(input, 'corrupt.fits');
    writeFileSync(corrupt, 'this is not a FITS file at all '.repeat(200));
    const bad = {
      corrupt,
      missing: await writeRaw(join(input, 'no-exptime.fits'), { ...demoRawHeader(900), EXPTIME: undefined }),
      instrument: await writeRaw(join(input, 'foocam.fits'), { ...demoRawHeader(901), INSTRUME: 'FooCam' }),
      filter: await writeRaw(join(input, 'bad-filter.fits'), { ...demoRawHeader(902), FILTER: 'demo-x' }),
    };
    return { input, good, bad };
  }

  it('reports each bad file by name and keyword, ingests the good ones and nothing of the bad ones', async () => {
    const { butler, repo, dir } = await fresh();
    const { input, good, bad } = await mixedInput(dir);
    const result = await ingestRaws(butler, { paths: [input], transfer: 'copy' });
    expect(result.refs).toHaveLength(good.length);
    const byFile = new Map(result.failures.map((f) => [f.file, f]));
    expect([...byFile.keys()].sort()).toEqual(Object.values(bad).sort());
    expect(byFile.get(bad.corrupt)!.message).toMatch(/not a valid FITS file/);
    expect(byFile.get(bad.missing)).toMatchObject({ keyword: 'EXPTIME' });
    expect(byFile.get(bad.missing)!.message).toContain('is missing');
    expect(byFile.get(bad.instrument)).toMatchObject({ keyword: 'INSTRUME' });
    expect(byFile.get(bad.instrument)!.message).toContain("'FooCam'");
    expect(byFile.get(bad.filter)).toMatchObject({ keyword: 'FILTER' });
    expect(byFile.get(bad.filter)!.message).toContain("'demo-x'");
    for (const f of result.failures) expect(f.message).toContain(f.file);
    expect((await butler.registry.queryDimensionRecords({ element: 'exposure' })).map((e) => e['id'])).toEqual([100]);
    expect(listRepoFiles(repo)).toHaveLength(good.length);
  });

  it('ingests nothing at all with failFast and throws an error naming the files', async () => {
    const { butler, repo, dir } = await fresh();
    const { input, bad } = await mixedInput(dir);
    const err = await ingestRaws(butler, { paths: [input], transfer: 'copy', failFast: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IngestRawsError);
    expect((err as IngestRawsError).failures).toHaveLength(4);
    expect((err as Error).message).toContain(bad.filter);
    expect((err as Error).message).toContain('nothing was ingested');
    expect(await countRows(butler.registry, 'dataset')).toBe(0);
    expect(await countRows(butler.registry, 'dim_exposure')).toBe(0);
    expect(listRepoFiles(repo)).toEqual([]);
  });

  it('fails a re-ingested file by name, and passes over it with skipExisting', async () => {
    const { butler } = await fresh();
    const file = demo.data.rawFiles[0]!.path;
    expect((await ingestRaws(butler, { paths: [file] })).refs).toHaveLength(1);
    const again = await ingestRaws(butler, { paths: [file] });
    expect(again.refs).toEqual([]);
    expect(again.failures).toHaveLength(1);
    expect(again.failures[0]!.message).toContain(file);
    expect(again.failures[0]!.message).toContain('already ingested');
    const skipped = await ingestRaws(butler, { paths: [file], skipExisting: true });
    expect(skipped).toMatchObject({ refs: [], failures: [], skipped: [file] });
    expect(await countRows(butler.registry, 'dataset')).toBe(1);
  });

  it('keeps the first of two files that disagree about one exposure and fails the other', async () => {
    const { butler, repo, dir } = await fresh();
    const a = await writeRaw(join(dir, 'a.fits'), demoRawHeader(950, 0));
    const b = await writeRaw(join(dir, 'b.fits'), { ...demoRawHeader(950, 1), FILTER: 'demo-i' });
    const result = await ingestRaws(butler, { paths: [a, b], transfer: 'copy' });
    expect(result.refs.map((r) => r.dataId['detector'])).toEqual([0]);
    expect(result.failures.map((f) => f.file)).toEqual([b]);
    expect(result.failures[0]!.message).toMatch(/exposure/);
    const [exposure] = await butler.registry.queryDimensionRecords({ element: 'exposure' });
    expect(exposure).toMatchObject({ id: 950, physical_filter: 'demo-r' });
    expect(listRepoFiles(repo)).toHaveLength(1);
  });

  it('fails the second of two files with the same data ID', async () => {
    const { butler, dir } = await fresh();
    const a = await writeRaw(join(dir, 'a.fits'), demoRawHeader(960, 0));
    const b = await writeRaw(join(dir, 'b.fits'), demoRawHeader(960, 0));
    const result = await ingestRaws(butler, { paths: [a, b] });
    expect(result.refs).toHaveLength(1);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]!.message).toContain(`same data ID`);
    expect(result.failures[0]!.message).toContain(a);
  });

  it('names a path that does not exist', async () => {
    const { butler, dir } = await fresh();
    const missing = join(dir, 'nowhere');
    const result = await ingestRaws(butler, { paths: [missing] });
    expect(result.failures).toEqual([expect.objectContaining({ file: missing })]);
  });
});
