import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineVisits, ingestRaws, registerInstrument, registerSkymap, type Butler } from '../../src/butler/index.js';
import { ConflictError } from '../../src/errors/index.js';
import { regionFromJson, regionToJson, regionsOverlap } from '../../src/geom/index.js';
import { buildSkymap, findSkymapConfig, getPatch } from '../../src/skymap/index.js';
import { backends } from '../support/backends.js';
import { useFreshButlers } from '../support/butlers.js';
import { countOverlaps, countRows, makeDemoDir } from './observation-fixtures.js';

let demo: Awaited<ReturnType<typeof makeDemoDir>>;
beforeAll(async () => {
  demo = await makeDemoDir();
});
afterAll(() => demo.cleanup());

describe.each(backends)('instruments, raws, visits and skymaps on $name', ({ make }) => {
  const makeFresh = useFreshButlers(make);
  async function fresh(): Promise<{ butler: Butler; repo: string; dir: string }> {
    const b = await makeFresh();
    return b;
  }
  async function populated(order: 'visits-first' | 'skymap-first'): Promise<Butler> {
    const { butler } = await fresh();
    await registerInstrument(butler, 'DemoCam');
    const ingested = await ingestRaws(butler, { paths: [join(demo.dir, 'raw')] });
    expect(ingested.failures).toEqual([]);
    if (order === 'skymap-first') await registerSkymap(butler, 'demo');
    await defineVisits(butler, { instrument: 'DemoCam' });
    if (order === 'visits-first') await registerSkymap(butler, 'demo');
    return butler;
  }

  it('registers an instrument with its records, standard collections and the raw dataset type, once', async () => {
    const { butler } = await fresh();
    const first = await registerInstrument(butler, 'DemoCam');
    expect(first.collectionsCreated).toEqual(['DemoCam/raw/all', 'DemoCam/calib', 'DemoCam/calib/unbounded']);
    const [instrument] = await butler.registry.queryDimensionRecords({ element: 'instrument' });
    expect(instrument).toMatchObject({ name: 'DemoCam', class_name: 'bps_ts.instruments.DemoCam', detector_max: 2 });
    expect((await butler.registry.queryDimensionRecords({ element: 'detector' })).map((d) => d['full_name'])).toEqual(['S00', 'N00']);
    expect(await butler.registry.queryDimensionRecords({ element: 'physical_filter', dataId: { physical_filter: 'demo-r' } })).toEqual([
      { instrument: 'DemoCam', name: 'demo-r', band: 'r' },
    ]);
    expect((await butler.registry.getCollection('DemoCam/calib')).type).toBe('CALIBRATION');
    expect((await butler.registry.getCollection('DemoCam/raw/all')).type).toBe('RUN');
    expect(await butler.registry.getDatasetType('raw')).toMatchObject({ dimensions: ['instrument', 'detector', 'exposure'], storageClass: 'Exposure' });
    const again = await registerInstrument(butler, 'DemoCam');
    expect({ records: again.recordsInserted, collections: again.collectionsCreated, datasetType: again.datasetTypeCreated }).toEqual({ records: 0, collections: [], datasetType: false });
  });

  it('refuses a different definition under a registered instrument name, naming it', async () => {
    const { butler, dir } = await fresh();
    await registerInstrument(butler, 'DemoCam');
    const altered = join(dir, 'DemoCam-wide.yaml');
    const text = readFileSync(new URL('../../pipelines/instruments/DemoCam.yaml', import.meta.url), 'utf8').replace('pixelScaleArcsec: 0.2', 'pixelScaleArcsec: 0.3');
    writeFileSync(altered, text);
    const err = await registerInstrument(butler, altered).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as Error).message).toContain('DemoCam');
    expect((err as Error).message).toContain(altered);
  });

  it('creates exposure, day_obs and group records from the raw headers', async () => {
    const { butler } = await fresh();
    await registerInstrument(butler, 'DemoCam');
    const result = await ingestRaws(butler, { paths: [join(demo.dir, 'raw')], jobs: 3 });
    expect(result.refs).toHaveLength(28);
    const exposures = await butler.registry.queryDimensionRecords({ element: 'exposure' });
    expect(exposures).toHaveLength(14);
    const e100 = exposures.find((e) => e['id'] === 100)!;
    const planned = demo.data.plan.exposures.find((e) => e.exposure === 100)!;
    const begin = Date.parse(planned.start) * 1000;
    expect(e100).toMatchObject({ physical_filter: 'demo-i', observation_type: 'science', exposure_time: 30, group: '100', obs_id: 'DemoCam_000100' });
    expect(e100['timespan']).toEqual({ begin, end: begin + 30_000_000 });
    const [day] = await butler.registry.queryDimensionRecords({ element: 'day_obs', dataId: { instrument: 'DemoCam', day_obs: e100['day_obs'] } });
    expect(day!['timespan']).toEqual({ begin: Date.parse('2024-03-14T12:00:00Z') * 1000, end: Date.parse('2024-03-15T12:00:00Z') * 1000 });
    expect(exposures.filter((e) => e['observation_type'] === 'bias')).toHaveLength(2);
    expect(await countRows(butler.registry, 'dim_group')).toBe(14);
  });

  it('gives the default demo data 16 visit-detector rows and 32 visit-patch overlaps, in either order', async () => {
    for (const order of ['visits-first', 'skymap-first'] as const) {
      const butler = await populated(order);
      const r = butler.registry;
      expect(await countRows(r, 'dim_visit')).toBe(8);
      expect(await countRows(r, 'dim_visit_definition')).toBe(8);
      expect(await countRows(r, 'dim_visit_detector_region')).toBe(16);
      expect(await countOverlaps(r, 'visit', 'patch')).toBe(32);
      expect(await countOverlaps(r, 'visit', 'tract')).toBe(8);
      expect(await countOverlaps(r, 'visit_detector_region', 'tract')).toBe(16);
      const detectorPatches = await countOverlaps(r, 'visit_detector_region', 'patch');
      expect(detectorPatches).toBeGreaterThanOrEqual(32);
      expect(detectorPatches).toBeLessThanOrEqual(64);
      expect(await r.queryDataIds({ dimensions: ['visit', 'detector'] })).toHaveLength(16);
      expect(await r.queryDataIds({ dimensions: ['visit', 'patch'], where: "skymap = 'demo'" })).toHaveLength(32);
    }
  });

  it('stores visit-detector regions that match the instrument geometry and overlap exactly the stored patches', async () => {
    const butler = await populated('visits-first');
    const regions = await butler.registry.queryDimensionRecords({ element: 'visit_detector_region', dataId: { instrument: 'DemoCam', visit: 100 } });
    expect(regions.map((r) => r['detector'])).toEqual([0, 1]);
    const [visit] = await butler.registry.queryDimensionRecords({ element: 'visit', dataId: { instrument: 'DemoCam', visit: 100 } });
    expect(visit).toMatchObject({ physical_filter: 'demo-i', name: 'DemoCam_000100', exposure_time: 30 });
    const patches = await butler.registry.queryDimensionRecords({ element: 'patch', dataId: { skymap: 'demo' } });
    const rows = (await butler.registry.context.db.selectFrom('overlap_visit_detector_region__patch').selectAll().where('visit', '=', 100).execute()) as Record<string, unknown>[];
    for (const det of regions) {
      const region = regionFromJson(det['region'] as object);
      const expected = patches.filter((p) => regionsOverlap(region, regionFromJson(p['region'] as object))).map((p) => Number(p['id']));
      const stored = rows.filter((row) => Number(row['detector']) === det['detector']).map((row) => Number(row['patch'])).sort();
      expect(stored).toEqual(expected);
    }
  });

  it('defines visits idempotently', async () => {
    const butler = await populated('visits-first');
    const again = await defineVisits(butler, { instrument: 'DemoCam' });
    expect(again).toMatchObject({ visits: 8, visitsCreated: 0, visitDetectorRegions: 16 });
    expect(again.overlaps).toEqual({ visitPatch: 0, visitTract: 0, detectorPatch: 0, detectorTract: 0 });
    expect(await countOverlaps(butler.registry, 'visit', 'patch')).toBe(32);
  });

  it('keeps overlap rows already present and refuses a pair without an overlap table', async () => {
    const butler = await populated('visits-first');
    const row = { instrument: 'DemoCam', visit: 100, skymap: 'demo', tract: 0, patch: 0 };
    expect(await butler.registry.insertOverlaps('visit', 'patch', [row, row])).toBe(0);
    expect(await countOverlaps(butler.registry, 'visit', 'patch')).toBe(32);
    await expect(butler.registry.insertOverlaps('visit', 'detector', [])).rejects.toThrow(/no overlap table for "visit" and "detector"/);
  });

  it('registers skymap records with the config hash, outer patch regions and cells, and refuses another config under the name', async () => {
    const { butler, dir } = await fresh();
    const first = await registerSkymap(butler, 'demo');
    expect(first).toMatchObject({ created: true, tracts: 1, patches: 4 });
    const [skymap] = await butler.registry.queryDimensionRecords({ element: 'skymap' });
    expect(skymap).toMatchObject({ name: 'demo', hash: first.hash, tract_max: 1, patch_nx_max: 2, patch_ny_max: 2 });
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    const patches = await butler.registry.queryDimensionRecords({ element: 'patch' });
    expect(patches.map((p) => [p['id'], p['cell_x'], p['cell_y']])).toEqual([[0, 0, 0], [1, 1, 0], [2, 0, 1], [3, 1, 1]]);
    const tract = buildSkymap(findSkymapConfig('demo')).tracts[0]!;
    expect(JSON.stringify(patches[3]!['region'])).toBe(regionToJson(getPatch(tract, 3).region));
    expect((await registerSkymap(butler, 'demo')).created).toBe(false);
    const other = join(dir, 'demo-other.yaml');
    writeFileSync(other, readFileSync(new URL('../../pipelines/skymaps/demo.yaml', import.meta.url), 'utf8').replace('patchBorder: 32', 'patchBorder: 16'));
    const err = await registerSkymap(butler, other).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as Error).message).toContain('"demo"');
    expect((err as Error).message).toContain(other);
  });
});
