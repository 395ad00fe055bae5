import { detectorRegion, makePolygonFromVectors, type PolygonRegion } from '../geom/index.js';
import { InvalidInputError } from '../errors/index.js';
import type { DetectorDef, Instrument, RawMetadata } from './instrument-types.js';

/** The pointing fields of raw metadata that place a detector on the sky. */
export type Pointing = Pick<RawMetadata, 'tracking_ra' | 'tracking_dec' | 'sky_angle'> & { exposure?: number };

function detectorOf(instrument: Instrument, id: number): DetectorDef {
  const detector = instrument.detectors.find((d) => d.id === id);
  if (detector === undefined) {
    throw new InvalidInputError(`instrument ${instrument.name} has no detector ${id} (known: ${instrument.detectors.map((d) => d.id).join(', ')})`, {
      file: instrument.source,
    });
  }
  return detector;
}

/** Sky region of one detector of one visit, from the pointing and the instrument's geometry. */
export function computeVisitDetectorRegion(instrument: Instrument, pointing: Pointing, detectorId: number): PolygonRegion {
  if (pointing.tracking_ra === null || pointing.tracking_dec === null) {
    throw new InvalidInputError(
      `exposure ${pointing.exposure ?? '?'} of ${instrument.name} has no pointing (tracking_ra/tracking_dec), so it has no sky region`,
      { hint: 'only science exposures with RA/Dec headers can be defined as visits' },
    );
  }
  const d = detectorOf(instrument, detectorId);
  return detectorRegion({
    boresight: { ra: pointing.tracking_ra, dec: pointing.tracking_dec },
    skyAngleDeg: pointing.sky_angle,
    pixelScaleArcsec: instrument.pixelScaleArcsec,
    detector: { width: d.width, height: d.height, offsetX: d.focalPlaneX, offsetY: d.focalPlaneY, rotationDeg: d.rotationDeg },
  });
}

/** Sky region of a whole visit: the convex hull of its detectors' regions. */
export function computeVisitRegion(instrument: Instrument, pointing: Pointing, detectorIds?: readonly number[]): PolygonRegion {
  const ids = detectorIds ?? instrument.detectors.map((d) => d.id);
  return makePolygonFromVectors(ids.flatMap((id) => computeVisitDetectorRegion(instrument, pointing, id).vertices));
}
