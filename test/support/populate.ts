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
