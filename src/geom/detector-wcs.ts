import { degToRad, type SkyPoint } from './vector.js';
import { makeCdMatrix, pixelBoxToPolygon, type TanWcs } from './tan-wcs.js';
import type { PolygonRegion } from './regions.js';

/** Where a detector sits in the focal plane: its centre's offset from the boresight, in pixels. */
export interface DetectorPlacement {
  width: number;
  height: number;
  /** Focal-plane offset of the detector centre from the boresight, pixels (x, y as in the detector). */
  offsetX: number;
  offsetY: number;
  /** Rotation of the detector's pixel axes in the focal plane, degrees counter-clockwise. */
  rotationDeg: number;
}

/** Options of {@link makeDetectorWcs}. */
export interface DetectorWcsOptions {
  /** Telescope pointing (boresight), degrees. */
  boresight: SkyPoint;
  /** Position angle of the focal plane's +y axis, degrees east of north. */
  skyAngleDeg: number;
  pixelScaleArcsec: number;
  detector: DetectorPlacement;
}

/**
 * The TAN WCS of one detector: tangent point at the boresight, focal-plane offset and detector
 * rotation folded into CRPIX and the CD matrix (so CRPIX usually lies outside the detector).
 */
export function makeDetectorWcs(options: DetectorWcsOptions): TanWcs {
  const { detector } = options;
  const base = makeCdMatrix(options.pixelScaleArcsec, options.skyAngleDeg);
  const c = Math.cos(detector.rotationDeg * degToRad);
  const s = Math.sin(detector.rotationDeg * degToRad);
  // focal = offset + R · (pixel − centre); CD = base · R; CRPIX is the pixel where focal = 0.
  const cd: TanWcs['cd'] = [
    [base[0][0] * c + base[0][1] * s, -base[0][0] * s + base[0][1] * c],
    [base[1][0] * c + base[1][1] * s, -base[1][0] * s + base[1][1] * c],
  ];
  const cx = (detector.width - 1) / 2;
  const cy = (detector.height - 1) / 2;
  const ox = detector.offsetX;
  const oy = detector.offsetY;
  return { crval: { ...options.boresight }, crpix: { x: cx - (c * ox + s * oy), y: cy - (-s * ox + c * oy) }, cd };
}

/** Sky polygon covered by a detector: the outer edges of its corner pixels. */
export function detectorRegion(options: DetectorWcsOptions): PolygonRegion {
  const { width, height } = options.detector;
  return pixelBoxToPolygon(makeDetectorWcs(options), { minX: -0.5, minY: -0.5, maxX: width - 0.5, maxY: height - 0.5 });
}
