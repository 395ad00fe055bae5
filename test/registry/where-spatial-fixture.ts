import { makeBox, makeCircle, makePolygon, regionToJson, type Region } from '../../src/geom/index.js';
import type { Registry } from '../../src/registry/index.js';

/** Region JSON as stored in the registry. */
export const json = (region: Region): string => regionToJson(region);
const square = (ra0: number, dec0: number, ra1: number, dec1: number): Region =>
  makePolygon([{ ra: ra0, dec: dec0 }, { ra: ra1, dec: dec0 }, { ra: ra1, dec: dec1 }, { ra: ra0, dec: dec1 }]);

/**
 * Instrument Cam, detectors 0-3, visits 1-4:
 * - visit 1 straddles RA 0 on the equator: detector 0 BOX(0, 0, 1, 1) (RA 359.5..0.5),
 *   detector 1 the square RA 0.5..1.5 × Dec 0..1, detector 2 CIRCLE(358, 0, 0.5);
 * - visit 2 at the north pole: detector 0 CIRCLE(0, 89.9, 0.2), detector 1 a square through
 *   Dec 89 around the pole;
 * - visit 3 at RA 180, Dec -30: detector 0 BOX(180, -30, 2, 2), detector 2 CIRCLE(181.5, -30, 0.2);
 * - detector 3 of visit 1 has a record without region; visit 4 has no region at all.
 * Skymap sky: tract 0 BOX(0, 0, 10, 10) with four 5°×5° patches meeting at (0, 0).
 */
export async function populateSpatialUniverse(registry: Registry): Promise<void> {
  await registry.insertDimensionRecords('instrument', [{ name: 'Cam' }]);
  await registry.insertDimensionRecords('band', [{ name: 'r' }]);
  await registry.insertDimensionRecords('physical_filter', [{ instrument: 'Cam', name: 'Cam-r', band: 'r' }]);
  await registry.insertDimensionRecords('day_obs', [{ instrument: 'Cam', id: 20240101 }]);
  await registry.insertDimensionRecords('detector', [0, 1, 2, 3].map((id) => ({ instrument: 'Cam', id, full_name: `d${id}` })));
  const night = { physical_filter: 'Cam-r', day_obs: 20240101 };
  await registry.insertDimensionRecords('visit', [
    { instrument: 'Cam', id: 1, ...night, region: json(makeCircle(0, 0, 3)) },
    { instrument: 'Cam', id: 2, ...night, region: json(makeCircle(0, 90, 2)) },
    { instrument: 'Cam', id: 3, ...night, region: json(makeCircle(180, -30, 3)) },
    { instrument: 'Cam', id: 4, ...night },
  ]);
  const vdr = (visit: number, detector: number, region?: Region): Record<string, unknown> => ({ instrument: 'Cam', visit, detector, ...(region ? { region: json(region) } : {}) });
  await registry.insertDimensionRecords('visit_detector_region', [
    vdr(1, 0, makeBox(0, 0, 1, 1)),
    vdr(1, 1, square(0.5, 0, 1.5, 1)),
    vdr(1, 2, makeCircle(358, 0, 0.5)),
    vdr(1, 3),
    vdr(2, 0, makeCircle(0, 89.9, 0.2)),
    vdr(2, 1, makePolygon([0, 90, 180, 270].map((ra) => ({ ra, dec: 89 })))),
    vdr(3, 0, makeBox(180, -30, 2, 2)),
    vdr(3, 2, makeCircle(181.5, -30, 0.2)),
  ]);
  await registry.insertDimensionRecords('skymap', [{ name: 'sky' }]);
  await registry.insertDimensionRecords('tract', [{ skymap: 'sky', id: 0, region: json(makeBox(0, 0, 10, 10)) }, { skymap: 'sky', id: 1 }]);
  await registry.insertDimensionRecords('patch', [
    { skymap: 'sky', tract: 0, id: 0, region: json(makeBox(357.5, -2.5, 5, 5)) },
    { skymap: 'sky', tract: 0, id: 1, region: json(makeBox(2.5, -2.5, 5, 5)) },
    { skymap: 'sky', tract: 0, id: 2, region: json(makeBox(357.5, 2.5, 5, 5)) },
    { skymap: 'sky', tract: 0, id: 3, region: json(makeBox(2.5, 2.5, 5, 5)) },
  ]);
}
