import { describe, expect, it } from 'vitest';
import type { BindValues, DataIdRow, Registry } from '../../src/registry/index.js';
import { backends, useRegistry } from '../support/backends.js';
import { populateWhereUniverse } from '../support/populate.js';

/** `HSC/1`-style keys of visit rows, sorted. */
function visits(rows: readonly DataIdRow[]): string[] {
  return rows.map((r) => `${r['instrument']}/${r['visit']}`).sort();
}

describe.each(backends)('where-clause semantics on $name', ({ make }) => {
  let registry: Registry;
  useRegistry(make, populateWhereUniverse, (r) => (registry = r));

  const q = async (where: string, bind?: BindValues): Promise<string[]> => visits(await registry.queryDataIds({ dimensions: ['visit'], where, ...(bind ? { bind } : {}) }));

  it.each([
    ['visit IN (1..10:2)', ['HSC/1', 'HSC/3', 'HSC/5']],
    ['visit IN (10..15:2, 2)', ['HSC/2', 'LATISS/10', 'LATISS/12', 'LATISS/14']],
    ["visit NOT IN (1..5) AND instrument = 'HSC'", ['HSC/6']],
    ["instrument = 'LATISS' AND visit NOT IN (10, 12, 14..20)", ['LATISS/11', 'LATISS/13']],
    ['visit.id = 3 OR visit.day_obs = 20240105 AND visit > 14', ['HSC/3', 'LATISS/15']],
    ["visit.instrument = 'LATISS' AND NOT (visit > 11)", ['LATISS/10', 'LATISS/11']],
  ])('selects integer ranges, strides and NOT IN: %s', async (where, expected) => {
    expect(await q(where)).toEqual(expected);
  });

  it('constrains the implied band of visit-level data IDs through their physical filter', async () => {
    expect(await q("band = 'r'")).toEqual(['HSC/1', 'HSC/2', 'HSC/3', 'LATISS/13', 'LATISS/14', 'LATISS/15']);
    expect(await q("band IN ('g', 'i') AND physical_filter != 'HSC-I'")).toEqual(['LATISS/10', 'LATISS/11', 'LATISS/12']);
    const rows = await registry.queryDataIds({ dimensions: ['visit'], where: "band = 'g' AND visit = 10" });
    expect(rows).toEqual([{ instrument: 'LATISS', visit: 10, band: 'g', physical_filter: 'LATISS-g', day_obs: 20240105 }]);
  });

  it('uses bind values, lists and bare identifiers naming a bind', async () => {
    expect(await q('visit IN (:visits)', { visits: ['1', '2', '13'] })).toEqual(['HSC/1', 'HSC/2', 'LATISS/13']);
    expect(await q('visit IN (:visits, 6) AND instrument = :inst', { visits: [4, 5], inst: 'HSC' })).toEqual(['HSC/4', 'HSC/5', 'HSC/6']);
    expect(await q('instrument = inst AND visit > :v', { inst: 'LATISS', v: '13' })).toEqual(['LATISS/14', 'LATISS/15']);
    expect(await q('visit NOT IN (:visits) AND band = :b', { visits: ['1', '2'], b: 'r' })).toEqual(['HSC/3', 'LATISS/13', 'LATISS/14', 'LATISS/15']);
  });

  it('compares timespan bounds and overlaps with time literals and tuples', async () => {
    expect(await q("visit.timespan.begin > T'2024-01-03T04:30:00' AND instrument = 'HSC'")).toEqual(['HSC/5', 'HSC/6']);
    expect(await q("visit.timespan.end <= T'2024-01-02T02:00:30'")).toEqual(['HSC/1', 'HSC/2']);
    expect(await q("day_obs.timespan OVERLAPS (T'2024-01-02T13:00:00', T'2024-01-02T14:00:00')")).toEqual(['HSC/4', 'HSC/5', 'HSC/6']);
    expect(await q("visit.timespan OVERLAPS T'2024-01-02T02:00:10'")).toEqual(['HSC/2']);
    expect(await q("visit.timespan < T'2024-01-02T03:00:00'")).toEqual(['HSC/1', 'HSC/2']);
    expect(await q("visit.timespan > T'2024-01-06T04:00:00'")).toEqual(['LATISS/15']);
    expect(await q('visit.timespan OVERLAPS (:t0, :t1)', { t0: '2024-01-06T00:00:00', t1: new Date('2024-01-06T01:00:01Z') })).toEqual(['LATISS/10', 'LATISS/11']);
  });

  it('matches GLOB patterns case-sensitively with literal _ and % on both databases', async () => {
    const detectors = async (where: string): Promise<string[]> =>
      (await registry.queryDataIds({ dimensions: ['detector'], where })).map((r) => `${r['instrument']}/${r['detector']}`).sort();
    expect(await detectors("GLOB(detector.full_name, 'R00_*')")).toEqual(['LATISS/0']);
    expect(await detectors("GLOB(full_name, 'det_?')")).toEqual(['HSC/0', 'HSC/1', 'HSC/2', 'HSC/3']);
    expect(await detectors("GLOB(detector.full_name, '*S0?')")).toEqual(['LATISS/0', 'LATISS/1']);
    expect(await detectors("GLOB(detector.full_name, '%')")).toEqual([]);
    expect(await q("GLOB(physical_filter, 'HSC-*') AND NOT GLOB(band, 'i')")).toEqual(['HSC/1', 'HSC/2', 'HSC/3']);
  });

  it('filters on metadata fields, qualified or unambiguous bare names', async () => {
    expect(await q('visit.exposure_time > 100')).toEqual(['HSC/4', 'HSC/5', 'HSC/6']);
    expect(await q('exposure_time < 12')).toEqual(['LATISS/10', 'LATISS/11']);
    expect(await q("visit.name = 'l12' OR instrument.visit_max = 1000 AND visit < 2")).toEqual(['HSC/1', 'LATISS/12']);
  });

  it('evaluates arithmetic with integer division and remainders alike on both databases', async () => {
    expect(await q("visit.exposure_time / 30 = visit AND instrument = 'HSC'")).toEqual(['HSC/1', 'HSC/2', 'HSC/3', 'HSC/4', 'HSC/5', 'HSC/6']);
    expect(await q('visit % 5 = 0')).toEqual(['HSC/5', 'LATISS/10', 'LATISS/15']);
    expect(await q('visit * 2 - 1 = 9 OR -visit < -14')).toEqual(['HSC/5', 'LATISS/15']);
    expect(await q('visit / 4 = 1 AND visit + 0.5 > 5')).toEqual(['HSC/5', 'HSC/6']);
    expect(await q('visit / 0 = 1 OR visit % 0 = 1')).toEqual([]);
    expect(await q('2 < 10 AND visit = 1')).toEqual(['HSC/1']);
  });

  it('joins dimensions named only in the where-clause and returns each data ID once', async () => {
    const rows = await registry.queryDataIds({ dimensions: ['detector'], where: 'visit IN (10, 11)' });
    expect(rows.map((r) => `${r['instrument']}/${r['detector']}`)).toEqual(['LATISS/0', 'LATISS/1', 'LATISS/2']);
    const bands = await registry.queryDataIds({ dimensions: ['band'], where: "instrument = 'LATISS' AND physical_filter IN ('LATISS-g', 'LATISS-r', 'HSC-I')" });
    expect(bands).toEqual([{ band: 'g' }, { band: 'r' }]);
  });

  it('combines a where-clause with data-ID constraints and handles very long OR chains', async () => {
    const rows = await registry.queryDataIds({ dimensions: ['visit', 'detector'], where: "band = 'r'", dataId: { instrument: 'HSC', detector: '2' } });
    expect(rows.map((r) => `${r['visit']}/${r['detector']}`)).toEqual(['1/2', '2/2', '3/2']);
    const chain = Array.from({ length: 3000 }, (_, i) => `visit = ${i + 100}`).join(' OR ');
    expect(await q(`${chain} OR visit = 6`)).toEqual(['HSC/6']);
    const big = Array.from({ length: 2500 }, (_, i) => i * 3);
    expect(await q('visit IN (:big)', { big })).toEqual(['HSC/3', 'HSC/6', 'LATISS/12', 'LATISS/15']);
    expect(await q('visit NOT IN (:big)', { big: big.map(String) })).toEqual(['HSC/1', 'HSC/2', 'HSC/4', 'HSC/5', 'LATISS/10', 'LATISS/11', 'LATISS/13', 'LATISS/14']);
  });
});
