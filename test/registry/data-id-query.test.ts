import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataIdRow, Registry } from '../../src/registry/index.js';
import { backends, makeRegistry } from '../support/backends.js';
import { populateWhereUniverse } from '../support/populate.js';

const key = (row: Readonly<Record<string, unknown>>, dims: readonly string[]): string => dims.map((d) => String(row[d])).join('/');

describe.each(backends)('data-ID queries on $name', ({ make }) => {
  let registry: Registry;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    const made = await makeRegistry(make);
    registry = made.registry;
    dispose = made.dispose;
    await populateWhereUniverse(registry);
    await registry.registerDatasetType({ name: 'calexp', dimensions: ['visit', 'detector'], storageClass: 'ExposureF' });
    await registry.registerDatasetType({ name: 'src', dimensions: ['visit', 'detector'], storageClass: 'SourceCatalog' });
    await registry.registerDatasetType({ name: 'flat', dimensions: ['physical_filter', 'detector'], storageClass: 'ExposureF', isCalibration: true });
    await registry.registerRun('run/a');
    await registry.registerRun('run/b');
    const a = await registry.insertDatasets({ datasetType: 'calexp', run: 'run/a', dataIds: [1, 2].flatMap((visit) => [0, 1].map((detector) => ({ instrument: 'HSC', visit, detector }))) });
    await registry.insertDatasets({ datasetType: 'calexp', run: 'run/b', dataIds: [{ instrument: 'HSC', visit: 3, detector: 0 }, { instrument: 'LATISS', visit: 10, detector: 2 }] });
    await registry.insertDatasets({ datasetType: 'src', run: 'run/a', dataIds: [{ instrument: 'HSC', visit: 2, detector: 1 }, { instrument: 'HSC', visit: 4, detector: 1 }] });
    await registry.insertDatasets({ datasetType: 'flat', run: 'run/b', dataIds: [{ instrument: 'HSC', physical_filter: 'HSC-I', detector: 3 }] });
    await registry.registerCollection('tag', 'TAGGED');
    await registry.associate('tag', a.filter((r) => r.dataId['visit'] === 1 && r.dataId['detector'] === 0));
    await registry.registerCollection('chain', 'CHAINED');
    await registry.setCollectionChain('chain', ['run/b', 'tag']);
  });
  afterAll(async () => dispose());

  const visitsWith = async (types: string[], collections: string[], where?: string): Promise<string[]> =>
    (await registry.queryDataIds({ dimensions: ['visit'], datasets: { types, collections }, ...(where ? { where } : {}) })).map((r) => key(r, ['instrument', 'visit']));

  it('keeps data IDs having datasets in RUN, TAGGED and chained collections', async () => {
    expect(await visitsWith(['calexp'], ['run/a'])).toEqual(['HSC/1', 'HSC/2']);
    expect(await visitsWith(['calexp'], ['run/b'])).toEqual(['HSC/3', 'LATISS/10']);
    expect(await visitsWith(['calexp'], ['tag'])).toEqual(['HSC/1']);
    expect(await visitsWith(['calexp'], ['chain'])).toEqual(['HSC/1', 'HSC/3', 'LATISS/10']);
    expect(await visitsWith(['calexp', 'src'], ['run/a'])).toEqual(['HSC/2']);
    expect(await visitsWith(['src'], ['run/b', 'tag'])).toEqual([]);
    expect(await visitsWith(['calexp'], ['run/a', 'run/b'], "band = 'r' AND detector = 0")).toEqual(['HSC/1', 'HSC/2', 'HSC/3']);
  });

  it('joins dataset dimensions outside the result and projects them away', async () => {
    const rows = await registry.queryDataIds({ dimensions: ['physical_filter'], datasets: { types: ['flat'], collections: ['run/b'] } });
    expect(rows).toEqual([{ instrument: 'HSC', physical_filter: 'HSC-I', band: 'i' }]);
    const dets = await registry.queryDataIds({ dimensions: ['detector'], datasets: { types: ['calexp'], collections: ['run/a'] }, where: 'visit = 2' });
    expect(dets.map((r) => key(r, ['instrument', 'detector']))).toEqual(['HSC/0', 'HSC/1']);
  });

  it('joins the most specific materialised overlap table when observation and skymap dimensions meet', async () => {
    const tracts = await registry.queryDataIds({ dimensions: ['visit', 'tract'] });
    expect(tracts.map((r) => key(r, ['instrument', 'visit', 'tract']))).toEqual(['HSC/1/0', 'HSC/2/0', 'HSC/4/1']);
    const patches = await registry.queryDataIds({ dimensions: ['visit', 'detector', 'patch'], where: 'detector = 1' });
    expect(patches.map((r) => key(r, ['visit', 'detector', 'tract', 'patch']))).toEqual(['1/1/0/0', '1/1/0/1']);
    const compiled = await registry.compileDataIdQuery({ dimensions: ['visit', 'detector', 'patch'] });
    expect(compiled.sql).toContain('overlap_visit_detector_region__patch');
    expect(compiled.sql).not.toContain('overlap_visit__tract');
    expect((await registry.compileDataIdQuery({ dimensions: ['visit', 'patch'] })).sql).toContain('overlap_visit__patch');
  });

  it('orders, limits and offsets', async () => {
    const rows = await registry.queryDataIds({ dimensions: ['visit'], where: "instrument = 'HSC'", orderBy: ['-visit'], limit: 2, offset: 1 });
    expect(rows.map((r) => r['visit'])).toEqual([5, 4]);
    const byTime = await registry.queryDataIds({ dimensions: ['visit'], orderBy: ['-visit.exposure_time', 'visit'], limit: 3 });
    expect(byTime.map((r) => r['visit'])).toEqual([6, 5, 4]);
    const distinct = await registry.queryDataIds({ dimensions: ['visit'], where: 'detector = 0', orderBy: ['band', '-visit.timespan.begin'], offset: 10 });
    expect(distinct.map((r) => r['visit'])).toEqual([2, 1]);
  });

  it('streams the same rows in keyset-paginated batches', async () => {
    const all = await registry.queryDataIds({ dimensions: ['visit', 'detector'] });
    expect(all).toHaveLength(6 * 4 + 6 * 3);
    const batches: DataIdRow[][] = [];
    for await (const batch of registry.streamDataIds({ dimensions: ['visit', 'detector'] }, 5)) batches.push(batch);
    expect(batches.map((b) => b.length)).toEqual([5, 5, 5, 5, 5, 5, 5, 5, 2]);
    expect(batches.flat()).toEqual(all);
    const limited: DataIdRow[] = [];
    for await (const batch of registry.streamDataIds({ dimensions: ['visit', 'detector'], where: "band = 'r'", limit: 7 }, 3)) limited.push(...batch);
    expect(limited).toEqual((await registry.queryDataIds({ dimensions: ['visit', 'detector'], where: "band = 'r'" })).slice(0, 7));
  });

  it('applies where-clauses to dataset queries, on their own columns or through dimension tables', async () => {
    const calexp = await registry.getDatasetType('calexp');
    const flat = await registry.getDatasetType('flat');
    const run = async (where: string, types = [calexp], collections = ['run/a', 'run/b'], bind = {}): Promise<string[]> => {
      const hook = await registry.buildDatasetWhere({ where, bind, datasetTypes: types });
      const refs = await registry.queryDatasets({ datasetTypes: types, collections, ...(hook ? { where: hook } : {}) });
      return refs.map((r) => `${r.datasetType}:${key(r.dataId, Object.keys(r.dataId).filter((k) => k !== 'instrument'))}`).sort();
    };
    expect(await run('visit = 2 AND detector = 1')).toEqual(['calexp:1/2']);
    expect(await run("band = 'r' AND visit.exposure_time > 50")).toEqual(['calexp:0/2', 'calexp:0/3', 'calexp:1/2']);
    expect(await run("run = 'run/b' OR GLOB(run, '*/a') AND visit = 1")).toEqual(['calexp:0/1', 'calexp:0/3', 'calexp:1/1', 'calexp:2/10']);
    expect(await run("ingest_date > T'2020-01-01' AND calexp.ingest_date < T'2200-01-01' AND instrument = 'LATISS'")).toEqual(['calexp:2/10']);
    expect(await run("band = 'i'", [calexp, flat])).toEqual(['flat:HSC-I/3']);
    const [one] = await registry.queryDatasets({ datasetTypes: [calexp], collections: ['run/b'], where: (await registry.buildDatasetWhere({ where: 'visit = 10', datasetTypes: [calexp] })) ?? ((q) => q) });
    expect(await run(`dataset_id = UUID('${one?.id}') OR dataset_id IN (:ids)`, [calexp], ['run/a', 'run/b'], { ids: ['nope'] })).toEqual(['calexp:2/10']);
    await expect(registry.buildDatasetWhere({ where: 'vist = 1', datasetTypes: [calexp] })).rejects.toThrow(/Did you mean "visit"/);
  });

  it('applies where-clauses to dimension-record queries', async () => {
    const records = async (element: string, where: string): Promise<unknown[]> => {
      const hook = await registry.buildRecordWhere({ element, where });
      return (await registry.queryDimensionRecords({ element, ...(hook ? { where: hook } : {}) })).map((r) => r['id'] ?? r['name']);
    };
    expect(await records('visit', 'exposure_time > 100')).toEqual([4, 5, 6]);
    expect(await records('visit', "band = 'g'")).toEqual([10, 11, 12]);
    expect(await records('detector', "GLOB(full_name, 'R00*') OR visit = 1 AND detector = 3")).toEqual([3, 0, 1]);
    expect(await records('physical_filter', "band = 'r'")).toEqual(['HSC-R', 'LATISS-r']);
    expect(await records('day_obs', "day_obs.timespan OVERLAPS T'2024-01-06T00:00:00'")).toEqual([20240105]);
  });
});
