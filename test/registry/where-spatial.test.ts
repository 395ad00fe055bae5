import { describe, expect, it } from 'vitest';
import { makeCircle } from '../../src/geom/index.js';
import { WhereClauseError } from '../../src/query/index.js';
import { parseBindOptions, type BindValues, type Registry } from '../../src/registry/index.js';
import { backends, useRegistry } from '../support/backends.js';
import { json, populateSpatialUniverse } from './where-spatial-fixture.js';

describe.each(backends)('spatial where-clauses on $name', ({ make }) => {
  let registry: Registry;
  useRegistry(make, populateSpatialUniverse, (r) => (registry = r));

  /** `visit/detector` keys matching the where-clause, sorted. */
  const detectors = async (where: string, bind?: BindValues): Promise<string[]> =>
    (await registry.queryDataIds({ dimensions: ['visit', 'detector'], where, ...(bind ? { bind } : {}) })).map((r) => `${r['visit']}/${r['detector']}`).sort();
  const ids = async (dimension: string, where: string, bind?: BindValues): Promise<string[]> =>
    (await registry.queryDataIds({ dimensions: [dimension], where, ...(bind ? { bind } : {}) })).map((r) => (dimension === 'patch' ? `${r['tract']}/${r['patch']}` : String(r[dimension]))).sort();

  it('finds the detector under a point on either side of RA 0, in both operand orders', async () => {
    expect(await detectors('visit_detector_region.region OVERLAPS POINT(359.99, 0.1)')).toEqual(['1/0']);
    expect(await detectors('POINT(0.01, -0.1) OVERLAPS visit_detector_region.region')).toEqual(['1/0']);
    expect(await detectors('visit_detector_region.region OVERLAPS POINT(-0.01, 0)')).toEqual(['1/0']);
    expect(await detectors('visit_detector_region.region OVERLAPS POINT(1, 0.5)')).toEqual(['1/1']);
  });

  it('finds detectors near the pole whatever the RA of the point', async () => {
    expect(await detectors('visit_detector_region.region OVERLAPS POINT(123, 89.95)')).toEqual(['2/0', '2/1']);
    expect(await detectors('visit_detector_region.region OVERLAPS POINT(180, 89.75)')).toEqual(['2/1']);
    expect(await detectors('visit_detector_region.region OVERLAPS POINT(300, 90)')).toEqual(['2/0', '2/1']);
  });

  it('overlaps circles, boxes and polygons with every kind of stored region', async () => {
    expect(await detectors('visit_detector_region.region OVERLAPS CIRCLE(0, 0, 0.6)')).toEqual(['1/0', '1/1']);
    expect(await detectors('visit_detector_region.region OVERLAPS CIRCLE(90, 0, 1)')).toEqual([]);
    expect(await detectors('visit_detector_region.region OVERLAPS BOX(180, -30, 1, 1)')).toEqual(['3/0']);
    expect(await detectors('visit_detector_region.region OVERLAPS BOX(359, 0, 4, 1)')).toEqual(['1/0', '1/1', '1/2']);
    expect(await detectors('visit_detector_region.region OVERLAPS BOX(181.5, -30, 2, 0.2)')).toEqual(['3/0', '3/2']);
    expect(await detectors('visit_detector_region.region OVERLAPS POLYGON(357, -1, 359, -1, 359, 1, 357, 1)')).toEqual(['1/2']);
    expect(await detectors('POLYGON(0, 88.5, 120, 88.5, 240, 88.5) OVERLAPS visit_detector_region.region')).toEqual(['2/0', '2/1']);
  });

  it('keeps NOT and OR working, rows without a region never matching', async () => {
    expect(await detectors('NOT (visit_detector_region.region OVERLAPS POINT(359.99, 0.1)) AND visit = 1')).toEqual(['1/1', '1/2', '1/3']);
    expect(await detectors('visit_detector_region.region OVERLAPS POINT(359.99, 0.1) OR (visit = 3 AND detector = 3)')).toEqual(['1/0', '3/3']);
    expect(await detectors('visit = 4 AND NOT visit_detector_region.region OVERLAPS CIRCLE(0, 0, 180)')).toEqual(['4/0', '4/1', '4/2', '4/3']);
    expect(await detectors('visit_detector_region.region OVERLAPS CIRCLE(0, 0, 180) AND detector = 3')).toEqual([]);
    expect(await detectors('visit_detector_region.region OVERLAPS CIRCLE(0, 0, 1) AND visit_detector_region.region OVERLAPS POINT(1, 0.5)')).toEqual(['1/1']);
  });

  it('takes coordinates from bind values, bare bind names and arithmetic on them', async () => {
    expect(await detectors('visit_detector_region.region OVERLAPS POINT(:ra, :dec)', { ra: '359.99', dec: 0.1 })).toEqual(['1/0']);
    expect(await detectors('visit_detector_region.region OVERLAPS POINT(ra, dec - 0.2)', { ra: 0.01, dec: 0.1 })).toEqual(['1/0']);
    expect(await detectors('visit_detector_region.region OVERLAPS CIRCLE(:ra + 180, -:dec, r / 10)', { ra: '0.5', dec: '30', r: 10 })).toEqual(['3/0', '3/2']);
  });

  it('reads regions from bind values and REGION() as region JSON or IVOA POS text', async () => {
    const circle = json(makeCircle(0, 0, 0.6));
    expect(await detectors('visit_detector_region.region OVERLAPS :r', { r: circle })).toEqual(['1/0', '1/1']);
    expect(await detectors('r OVERLAPS visit_detector_region.region', { r: circle })).toEqual(['1/0', '1/1']);
    expect(await detectors('visit_detector_region.region OVERLAPS :r', parseBindOptions([`r=${circle}`]))).toEqual(['1/0', '1/1']);
    expect(await detectors('visit_detector_region.region OVERLAPS REGION(:r)', { r: circle })).toEqual(['1/0', '1/1']);
    expect(await detectors("visit_detector_region.region OVERLAPS REGION('CIRCLE 0 0 0.6')")).toEqual(['1/0', '1/1']);
    expect(await detectors("visit_detector_region.region OVERLAPS REGION('RANGE 357 1 -0.5 0.5')")).toEqual(['1/0', '1/1', '1/2']);
    expect(await detectors("visit_detector_region.region OVERLAPS REGION('POLYGON 357 -1 359 -1 359 1 357 1')")).toEqual(['1/2']);
  });

  it('constrains visits, tracts and patches by their own regions, bare dimension names standing for them', async () => {
    expect(await ids('visit', 'visit.region OVERLAPS POINT(180, -31)')).toEqual(['3']);
    expect(await ids('visit', 'visit OVERLAPS POINT(10, 89)')).toEqual(['2']);
    expect(await ids('visit', 'NOT (visit OVERLAPS POINT(10, 89))')).toEqual(['1', '3', '4']);
    expect(await ids('visit', 'visit_detector_region.region OVERLAPS POINT(1, 0.5)')).toEqual(['1']);
    expect(await ids('tract', 'tract.region OVERLAPS POINT(359, 4)')).toEqual(['0']);
    expect(await ids('patch', 'patch OVERLAPS POINT(1, 1)')).toEqual(['0/3']);
    expect(await ids('patch', 'patch.region OVERLAPS POINT(359, -1)')).toEqual(['0/0']);
    expect(await ids('patch', 'patch OVERLAPS POINT(0, 0)')).toEqual(['0/0', '0/1', '0/2', '0/3']);
    expect(await ids('patch', 'patch OVERLAPS CIRCLE(2.5, 2.5, 1) OR patch = 1')).toEqual(['0/1', '0/3']);
  });

  it('binds the matching keys as parameters, long lists as one array per key column', async () => {
    const payload = "x'); DROP TABLE dim_visit; --";
    const compiled = await registry.compileDataIdQuery({ dimensions: ['visit', 'detector'], where: 'visit_detector_region.region OVERLAPS CIRCLE(0, 0, 0.6)' });
    expect(compiled.sql).not.toMatch(/'Cam'/);
    expect(compiled.parameters).toEqual(expect.arrayContaining(['Cam', 0, 1]));
    const err = await registry.queryDataIds({ dimensions: ['visit'], where: 'visit.region OVERLAPS :r', bind: { r: payload } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WhereClauseError);
    expect((err as Error).message).toContain('Invalid region value');
    // Enough detectors that the keys go as bound arrays (json_each / unnest), still exact.
    await registry.insertDimensionRecords('detector', Array.from({ length: 400 }, (_, i) => ({ instrument: 'Cam', id: 100 + i })));
    await registry.insertDimensionRecords('visit_detector_region', Array.from({ length: 400 }, (_, i) => ({
      instrument: 'Cam', visit: 4, detector: 100 + i, region: json(makeCircle(90 + i * 0.01, 45, 0.001)),
    })));
    const where = 'visit_detector_region.region OVERLAPS CIRCLE(91, 45, 2.5)';
    const big = await registry.compileDataIdQuery({ dimensions: ['visit', 'detector'], where });
    expect(big.parameters.length).toBeLessThan(10);
    const rows = await detectors(where);
    expect(rows).toHaveLength(400);
    expect(await detectors(`${where} AND detector < 102`)).toEqual(['4/100', '4/101']);
  });
});
