import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors/index.js';
import { WhereClauseError } from '../../src/query/index.js';
import { DimensionUniverse, type BindValues, type Registry, type RegistryContext } from '../../src/registry/index.js';
import { makeCaches } from '../../src/registry/context.js';
import { openDatabase, type DatabaseHandle } from '../../src/registry/db/connect.js';
import { prepareDatasetWhereHook, prepareRecordWhereHook } from '../../src/registry/where/where-hooks.js';
import { backends, makeRegistry } from '../support/backends.js';
import { populateSpatialUniverse } from './where-spatial-fixture.js';

describe.each(backends)('spatial where-clause errors and query hooks on $name', ({ make }) => {
  let registry: Registry;
  let dispose: () => Promise<void>;
  let handle: DatabaseHandle;
  let ctx: RegistryContext;
  beforeAll(async () => {
    const made = await makeRegistry(make);
    registry = made.registry;
    dispose = made.dispose;
    await populateSpatialUniverse(registry);
    await registry.registerDatasetType({ name: 'calexp', dimensions: ['visit', 'detector'], storageClass: 'ExposureF' });
    await registry.registerDatasetType({ name: 'deepCoadd', dimensions: ['patch', 'band'], storageClass: 'ExposureF' });
    await registry.registerRun('run');
    await registry.insertDatasets({ datasetType: 'calexp', run: 'run', dataIds: [1, 2, 3].flatMap((visit) => [0, 1, 2].map((detector) => ({ instrument: 'Cam', visit, detector }))) });
    await registry.insertDatasets({ datasetType: 'deepCoadd', run: 'run', dataIds: [0, 1, 2, 3].map((patch) => ({ skymap: 'sky', tract: 0, patch, band: 'r' })) });
    // A second connection to the same database: the hook builders take a registry context.
    handle = await openDatabase({ url: made.db.url, ...(made.db.namespace ? { namespace: made.db.namespace } : {}) });
    ctx = { db: handle.db, traits: handle.traits, universe: DimensionUniverse.loadDefault(), caches: makeCaches() };
  });
  afterAll(async () => {
    await handle.close();
    await dispose();
  });

  async function failure(where: string, bind?: BindValues): Promise<WhereClauseError> {
    const err = await registry.queryDataIds({ dimensions: ['visit', 'detector'], where, ...(bind ? { bind } : {}) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WhereClauseError);
    expect((err as WhereClauseError).exitCode).toBe(ExitCode.expression);
    return err as WhereClauseError;
  }

  it('rejects wrong arity and non-numeric arguments with a caret under the call', async () => {
    const arity = await failure('visit_detector_region.region OVERLAPS CIRCLE(1, 2)');
    expect(arity.message).toContain('CIRCLE takes 3 arguments (ra, dec, radius), got 2');
    expect(arity.message).toContain('OVERLAPS CIRCLE(1, 2)\n                                        ^^^^^^^^^^^^');
    expect((await failure("visit_detector_region.region OVERLAPS POINT('a', 1)")).message).toContain('must be a number');
    expect((await failure('visit_detector_region.region OVERLAPS POLYGON(0, 0, 1, 0, 1)')).message).toContain('even number of arguments');
  });

  it('refuses columns and non-numeric bind values inside spatial functions', async () => {
    const column = await failure('visit_detector_region.region OVERLAPS POINT(visit.id, 1)');
    expect(column.message).toContain('POINT() arguments must be numbers, but "visit.id" is a column, not a value');
    expect(column.offset).toBe('visit_detector_region.region OVERLAPS POINT('.length);
    expect((await failure('visit_detector_region.region OVERLAPS POINT(:ra, 1)', { ra: 'east' })).message).toContain('bind value :ra is "east"');
    expect((await failure('visit_detector_region.region OVERLAPS POINT(:ra, 1)', { ra: [1, 2] })).message).toContain('bind value :ra is a list of 2');
    expect((await failure('visit_detector_region.region OVERLAPS CIRCLE(1, 1, 1 / 0)')).message).toContain('Division by zero');
  });

  it('refuses invalid coordinates: Dec outside [-90, 90], negative radii, empty boxes', async () => {
    const dec = await failure('visit_detector_region.region OVERLAPS POINT(10, 91)');
    expect(dec.message).toContain('Invalid POINT() in where-clause at position 38: Dec 91 is outside [-90, 90]');
    expect(dec.hint).toContain('Dec within [-90, 90]');
    expect((await failure('visit_detector_region.region OVERLAPS CIRCLE(10, 0, -1)')).message).toContain('CIRCLE radius must not be negative, got -1');
    expect((await failure('BOX(10, 0, 0, 1) OVERLAPS visit.region')).message).toContain('must both be positive');
    expect((await failure("visit.region OVERLAPS REGION('CIRCLE 1 2')")).message).toContain('expected CIRCLE ra dec radius (3 numbers), got 2');
    expect((await failure('visit.region OVERLAPS :r', { r: '{"square": [1, 2]}' })).message).toContain("unknown region kind 'square'");
  });

  it('names the elements that have regions when a region is asked of one without', async () => {
    const err = await failure('detector.region OVERLAPS POINT(0, 0)');
    expect(err.message).toContain('Dimension element "detector" has no region');
    expect(err.hint).toContain('visit.region, visit_detector_region.region, tract.region, patch.region');
    expect((await failure('detector OVERLAPS POINT(0, 0)')).message).toContain('"detector" has no region to compare with OVERLAPS');
  });

  it('refuses regions outside OVERLAPS, two region columns and two constants', async () => {
    expect((await failure('visit = 1 OR POINT(0, 0)')).message).toContain('POINT() describes a sky region, which can only be compared with OVERLAPS');
    expect((await failure('visit.region = 1')).message).toContain('"visit.region" is a sky region, which can only be compared with OVERLAPS');
    expect((await failure('visit.region OVERLAPS visit_detector_region.region')).message).toContain('Comparing two region columns (visit, visit_detector_region)');
    expect((await failure('POINT(0, 0) OVERLAPS CIRCLE(0, 0, 1)')).message).toContain('OVERLAPS between two constant regions');
  });


  it('filters datasets through the asynchronous hook, directly or through the overlap joins', async () => {
    const calexp = await registry.getDatasetType('calexp');
    const coadd = await registry.getDatasetType('deepCoadd');
    const run = async (where: string, types = [calexp], bind?: BindValues): Promise<string[]> => {
      const hook = await prepareDatasetWhereHook(ctx, { where, datasetTypes: types, ...(bind ? { bind } : {}) });
      const refs = await registry.queryDatasets({ datasetTypes: types, collections: ['run'], ...(hook ? { where: hook } : {}) });
      const id = (d: Readonly<Record<string, unknown>>): string => (d['visit'] !== undefined ? `${d['visit']}/${d['detector']}` : `${d['tract']}/${d['patch']}/${d['band']}`);
      return refs.map((r) => `${r.datasetType}:${id(r.dataId)}`).sort();
    };
    expect(await run('visit_detector_region.region OVERLAPS POINT(ra, dec)', [calexp], { ra: 359.99, dec: 0.1 })).toEqual(['calexp:1/0']);
    expect(await run('visit_detector_region.region OVERLAPS CIRCLE(0, 0, 0.6) AND detector = 1')).toEqual(['calexp:1/1']);
    expect(await run('visit.region OVERLAPS POINT(180, -30)')).toEqual(['calexp:3/0', 'calexp:3/1', 'calexp:3/2']);
    expect(await run("patch.region OVERLAPS POINT(1, 1) AND band = 'r'", [coadd])).toEqual(['deepCoadd:0/3/r']);
    expect(await run('NOT (patch OVERLAPS POINT(1, 1))', [calexp, coadd])).toEqual(['deepCoadd:0/0/r', 'deepCoadd:0/1/r', 'deepCoadd:0/2/r']);
  });

  it('filters dimension records through the asynchronous hook', async () => {
    const records = async (element: string, where: string): Promise<unknown[]> => {
      const hook = await prepareRecordWhereHook(ctx, { element, where });
      return (await registry.queryDimensionRecords({ element, ...(hook ? { where: hook } : {}) })).map((r) => r['id'] ?? `${r['visit']}/${r['detector']}`);
    };
    expect(await records('visit', 'visit.region OVERLAPS POINT(0, 89.5)')).toEqual([2]);
    expect(await records('patch', 'patch OVERLAPS BOX(0, 2.5, 1, 1)')).toEqual([2, 3]);
    expect(await records('visit_detector_region', 'visit_detector_region.region OVERLAPS POINT(0, 89.95)')).toEqual(['2/0', '2/1']);
  });
});
