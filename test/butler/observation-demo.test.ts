import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COLLECTIONS, IngestRawsError, setupDemoRepo } from '../../src/butler/index.js';
import { readFits } from '../../src/fits/index.js';
import { backends } from '../support/backends.js';
import { makeButler } from '../support/butlers.js';
import { countOverlaps, makeDemoDir } from './observation-fixtures.js';

function average(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}

let demo: Awaited<ReturnType<typeof makeDemoDir>>;
beforeAll(async () => {
  demo = await makeDemoDir();
});
afterAll(() => demo.cleanup());

describe('demo master calibrations', () => {
  it('writes a float32 bias per detector and a flat per detector and filter, with ingest tables', async () => {
    expect(demo.data.calibs.map((c) => [c.datasetType, c.detector, c.physicalFilter ?? null])).toEqual([
      ['bias', 0, null], ['flat', 0, 'demo-i'], ['flat', 0, 'demo-r'], ['bias', 1, null], ['flat', 1, 'demo-i'], ['flat', 1, 'demo-r'],
    ]);
    const [bias] = await readFits(demo.data.calibs[0]!.path);
    expect(bias!.image).toMatchObject({ bitpix: -32, width: 256, height: 256 });
    const mean = average(bias!.image!.data);
    expect(mean).toBeCloseTo(1000, 0);
    const [flat] = await readFits(demo.data.calibs[1]!.path);
    const flatMean = average(flat!.image!.data);
    expect(flatMean).toBeGreaterThan(0.9);
    expect(flatMean).toBeLessThan(1.05);
    expect(readFileSync(demo.data.calibTables.flat, 'utf8').split('\n')[1]).toBe('flat_DemoCam_demo-i_det000.fits,DemoCam,0,demo-i');
    expect(readFileSync(demo.data.calibTables.bias, 'utf8').split('\n')[0]).toBe('file,instrument,detector');
  });
});

describe.each(backends)('setup-demo on $name', ({ make }) => {
  let disposers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const d of disposers) await d();
    disposers = [];
  });

  it('builds a ready repository from the demo folder, and running it again changes nothing', async () => {
    const b = await makeButler(make);
    disposers.push(b.dispose);
    const { registry } = b.butler;
    const lines: string[] = [];
    const steps = await setupDemoRepo(b.butler, { dir: demo.dir, onStep: (s) => lines.push(`${s.step}: ${s.summary}`) });
    expect(steps.map((s) => s.step)).toEqual([
      'register-instrument', 'ingest-raws', 'define-visits', 'register-skymap', 'register-dataset-types', 'ingest-calibs', 'ingest-refcat', 'collection-chain',
    ]);
    expect(lines).toHaveLength(8);
    expect(lines[1]).toContain('ingested 28 raw file(s)');
    expect(await registry.getCollectionChain(DEMO_COLLECTIONS.defaults)).toEqual(['DemoCam/raw/all', 'DemoCam/calib', 'refcats/demo', 'skymaps']);
    expect((await registry.findDataset('skyMap', { skymap: 'demo' }, [DEMO_COLLECTIONS.defaults]))?.run).toBe('skymaps');
    const raw = await registry.getDatasetType('raw');
    const raws = await registry.queryDatasets({ datasetTypes: [raw], collections: [DEMO_COLLECTIONS.defaults] });
    expect(raws).toHaveLength(8 * 2 + 2 * 2 + 2 * 2 * 2);
    expect(await countOverlaps(registry, 'visit', 'patch')).toBe(32);
    const when = { begin: Date.parse('2024-03-15T10:30:00Z') * 1000, end: Date.parse('2024-03-15T10:31:00Z') * 1000 };
    const bias = await registry.findDataset('bias', { instrument: 'DemoCam', detector: 1 }, ['DemoCam/calib'], when);
    expect(bias).toMatchObject({ run: DEMO_COLLECTIONS.calibRun, dataId: { instrument: 'DemoCam', detector: 1 } });
    const flat = await registry.findDataset('flat', { instrument: 'DemoCam', detector: 0, physical_filter: 'demo-r' }, ['DemoCam/calib'], when);
    expect(flat?.run).toBe(DEMO_COLLECTIONS.calibRun);
    expect(await registry.getCertifications('DemoCam/calib')).toHaveLength(6);
    expect((await registry.getCertifications('DemoCam/calib')).every((c) => c.timespan.begin === null && c.timespan.end === null)).toBe(true);
    const refcat = await registry.findDataset('ref_cat', {}, [DEMO_COLLECTIONS.defaults]);
    expect(refcat?.run).toBe('refcats/demo');
    const [artifact] = await b.butler.artifactsOf([refcat!]);
    expect((await readFits(b.butler.datastore.absolutePath(artifact!.path)))[1]!.table!.rows).toBe(300);

    const again = await setupDemoRepo(b.butler, { dir: demo.dir });
    expect(again[1]!.summary).toContain('ingested 0 raw file(s)');
    expect(await registry.getCertifications('DemoCam/calib')).toHaveLength(6);
    expect(await registry.queryDatasets({ datasetTypes: [raw], collections: [DEMO_COLLECTIONS.defaults] })).toHaveLength(28);
  });

  it('stops at the raw step naming the missing raw folder', async () => {
    const b = await makeButler(make);
    disposers.push(b.dispose);
    const steps: string[] = [];
    const err = await setupDemoRepo(b.butler, { dir: join(b.dir, 'empty'), onStep: (s) => steps.push(s.step) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IngestRawsError);
    expect((err as Error).message).toContain(`'${join(b.dir, 'empty', 'raw')}'`);
    expect(steps).toEqual(['register-instrument']);
  });
});
