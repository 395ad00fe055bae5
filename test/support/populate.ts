import type { Registry } from '../../src/registry/index.js';

/** UTC microseconds of an ISO date. */
export function micros(iso: string): number {
  return Date.parse(iso) * 1000;
}

/**
 * A small observation universe: instrument HSC with 4 detectors, filters HSC-R (r) and HSC-I (i),
 * two nights and visits 1..6 (1-3 in r on night 1, 4-6 in i on night 2).
 */
export async function populateSmallUniverse(registry: Registry): Promise<void> {
  await registry.insertDimensionRecords('instrument', [{ name: 'HSC', visit_max: 1000, detector_max: 200, class_name: 'lsst.obs.subaru.HyperSuprimeCam' }]);
  await registry.insertDimensionRecords('band', [{ name: 'r' }, { name: 'i' }]);
  await registry.insertDimensionRecords('physical_filter', [
    { instrument: 'HSC', name: 'HSC-R', band: 'r' },
    { instrument: 'HSC', name: 'HSC-I', band: 'i' },
  ]);
  await registry.insertDimensionRecords('detector', [0, 1, 2, 3].map((id) => ({ instrument: 'HSC', id, full_name: `det_${id}` })));
  await registry.insertDimensionRecords('day_obs', [
    { instrument: 'HSC', id: 20240101, timespan: { begin: micros('2024-01-01T12:00:00Z'), end: micros('2024-01-02T12:00:00Z') } },
    { instrument: 'HSC', id: 20240102, timespan: { begin: micros('2024-01-02T12:00:00Z'), end: micros('2024-01-03T12:00:00Z') } },
  ]);
  await registry.insertDimensionRecords(
    'visit',
    [1, 2, 3, 4, 5, 6].map((id) => {
      const night = id <= 3 ? '2024-01-02' : '2024-01-03';
      const begin = micros(`${night}T0${id}:00:00Z`);
      return {
        instrument: 'HSC',
        id,
        physical_filter: id <= 3 ? 'HSC-R' : 'HSC-I',
        day_obs: id <= 3 ? 20240101 : 20240102,
        exposure_time: 30 * id,
        name: `v${id}`,
        timespan: { begin, end: begin + 30_000_000 },
      };
    }),
  );
}

/**
 * Adds to {@link populateSmallUniverse}: instrument LATISS (filters LATISS-g → g and LATISS-r
 * → r, detectors 0-2 named 'R00_S00', 'R00xS00', 'r00_s01', night 20240105, visits 10-15: 10-12
 * in g, 13-15 in r, exposure_time = id), skymap `rings` with tracts 0-1 and patches 0-3, and
 * overlaps visit↔tract (HSC 1, 2 → tract 0; HSC 4 → tract 1) and visit_detector_region↔patch
 * (HSC visit 1 detectors 0, 1 → tract 0 patch 0; detector 1 also patch 1).
 */
export async function populateWhereUniverse(registry: Registry): Promise<void> {
  await populateSmallUniverse(registry);
  await registry.insertDimensionRecords('instrument', [{ name: 'LATISS', visit_max: 100, detector_max: 3 }]);
  await registry.insertDimensionRecords('band', [{ name: 'g' }]);
  await registry.insertDimensionRecords('physical_filter', [
    { instrument: 'LATISS', name: 'LATISS-g', band: 'g' },
    { instrument: 'LATISS', name: 'LATISS-r', band: 'r' },
  ]);
  await registry.insertDimensionRecords('detector', ['R00_S00', 'R00xS00', 'r00_s01'].map((full_name, id) => ({ instrument: 'LATISS', id, full_name })));
  await registry.insertDimensionRecords('day_obs', [
    { instrument: 'LATISS', id: 20240105, timespan: { begin: micros('2024-01-05T12:00:00Z'), end: micros('2024-01-06T12:00:00Z') } },
  ]);
  await registry.insertDimensionRecords(
    'visit',
    [10, 11, 12, 13, 14, 15].map((id) => {
      const begin = micros(`2024-01-06T0${id - 10}:00:00Z`);
      return { instrument: 'LATISS', id, physical_filter: id <= 12 ? 'LATISS-g' : 'LATISS-r', day_obs: 20240105, exposure_time: id, name: `l${id}`, timespan: { begin, end: begin + 30_000_000 } };
    }),
  );
  await registry.insertDimensionRecords('skymap', [{ name: 'rings' }]);
  await registry.insertDimensionRecords('tract', [0, 1].map((id) => ({ skymap: 'rings', id })));
  await registry.insertDimensionRecords('patch', [0, 1].flatMap((tract) => [0, 1, 2, 3].map((id) => ({ skymap: 'rings', tract, id }))));
  await registry.insertOverlaps('visit', 'tract', [
    { instrument: 'HSC', visit: 1, skymap: 'rings', tract: 0 },
    { instrument: 'HSC', visit: 2, skymap: 'rings', tract: 0 },
    { instrument: 'HSC', visit: 4, skymap: 'rings', tract: 1 },
  ]);
  await registry.insertOverlaps('visit_detector_region', 'patch', [
    { instrument: 'HSC', visit: 1, detector: 0, skymap: 'rings', tract: 0, patch: 0 },
    { instrument: 'HSC', visit: 1, detector: 1, skymap: 'rings', tract: 0, patch: 0 },
    { instrument: 'HSC', visit: 1, detector: 1, skymap: 'rings', tract: 0, patch: 1 },
  ]);
}
