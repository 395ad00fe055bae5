import { GeometryError } from './geometry-error.js';
import { makePolygonFromVectors, type PolygonRegion } from './regions.js';
import { degToRad, dot, normalize, raDecFromVector, radToDeg, vectorFromRaDec, type SkyPoint, type Vec3 } from './vector.js';

/**
 * A gnomonic (TAN) world coordinate system. Pixel coordinates are 0-based with integer values at
 * pixel centres (FITS CRPIX is `crpix + 1`). `cd` maps pixel offsets to (east, north) intermediate
 * coordinates in degrees, like the FITS CD matrix.
 */
export interface TanWcs {
  crval: SkyPoint;
  crpix: { x: number; y: number };
  cd: readonly [readonly [number, number], readonly [number, number]];
}

/** A pixel position (0-based, pixel centres at integers). */
export interface PixelPoint {
  x: number;
  y: number;
}

/**
 * CD matrix for a pixel scale and rotation: with rotation 0 north is +y and east is −x (the
 * usual sky orientation); `rotationDeg` is the position angle of +y, east of north.
 */
export function makeCdMatrix(pixelScaleArcsec: number, rotationDeg = 0): TanWcs['cd'] {
  const s = pixelScaleArcsec / 3600;
  const c = Math.cos(rotationDeg * degToRad);
  const n = Math.sin(rotationDeg * degToRad);
  return [[-s * c, s * n], [s * n, s * c]];
}

function tangentBasis(crval: SkyPoint): { p0: Vec3; east: Vec3; north: Vec3 } {
  const a = crval.ra * degToRad;
  const d = crval.dec * degToRad;
  return {
    p0: vectorFromRaDec(crval.ra, crval.dec),
    east: [-Math.sin(a), Math.cos(a), 0],
    north: [-Math.sin(d) * Math.cos(a), -Math.sin(d) * Math.sin(a), Math.cos(d)],
  };
}

/** Unit vector seen at a pixel. */
export function pixelToVector(wcs: TanWcs, pixel: PixelPoint): Vec3 {
  const dx = pixel.x - wcs.crpix.x;
  const dy = pixel.y - wcs.crpix.y;
  const xi = (wcs.cd[0][0] * dx + wcs.cd[0][1] * dy) * degToRad;
  const eta = (wcs.cd[1][0] * dx + wcs.cd[1][1] * dy) * degToRad;
  const { p0, east, north } = tangentBasis(wcs.crval);
  return normalize([
    p0[0] + xi * east[0] + eta * north[0],
    p0[1] + xi * east[1] + eta * north[1],
    p0[2] + xi * east[2] + eta * north[2],
  ]);
}

/** Sky position (degrees) of a pixel. */
export function pixelToSky(wcs: TanWcs, pixel: PixelPoint): SkyPoint {
  return raDecFromVector(pixelToVector(wcs, pixel));
}

/** Pixel of a sky position; throws when the position is 90° or more from the tangent point. */
export function skyToPixel(wcs: TanWcs, sky: SkyPoint | Vec3): PixelPoint {
  const p = 'ra' in sky ? vectorFromRaDec(sky.ra, sky.dec) : sky;
  const { p0, east, north } = tangentBasis(wcs.crval);
  const w = dot(p, p0);
  if (w <= 1e-12) {
    throw new GeometryError('TAN projection: the position is on the far side of the tangent plane', {
      value: JSON.stringify(raDecFromVector(p)),
    });
  }
  const xi = (dot(p, east) / w) * radToDeg;
  const eta = (dot(p, north) / w) * radToDeg;
  const [[a, b], [c, d]] = wcs.cd;
  const det = a * d - b * c;
  return { x: wcs.crpix.x + (d * xi - b * eta) / det, y: wcs.crpix.y + (-c * xi + a * eta) / det };
}

/** The convex polygon whose corners are the sky positions of a pixel rectangle's corners. */
export function pixelBoxToPolygon(wcs: TanWcs, box: { minX: number; minY: number; maxX: number; maxY: number }): PolygonRegion {
  const corners: PixelPoint[] = [
    { x: box.minX, y: box.minY },
    { x: box.maxX, y: box.minY },
    { x: box.maxX, y: box.maxY },
    { x: box.minX, y: box.maxY },
  ];
  // Great circles project to straight lines under TAN, so this polygon is exactly the pixel box.
  return makePolygonFromVectors(corners.map((c) => pixelToVector(wcs, c)));
}

/** FITS keywords of a TAN WCS (CRPIX 1-based). */
export function tanWcsToFitsCards(wcs: TanWcs): Record<string, string | number> {
  return {
    CTYPE1: 'RA---TAN', CTYPE2: 'DEC--TAN', CUNIT1: 'deg', CUNIT2: 'deg', RADESYS: 'ICRS',
    CRVAL1: wcs.crval.ra, CRVAL2: wcs.crval.dec, CRPIX1: wcs.crpix.x + 1, CRPIX2: wcs.crpix.y + 1,
    CD1_1: wcs.cd[0][0], CD1_2: wcs.cd[0][1], CD2_1: wcs.cd[1][0], CD2_2: wcs.cd[1][1],
  };
}

/** Reads a TAN WCS from FITS keywords (CD matrix, or CDELT with optional PC); throws naming the missing key. */
export function tanWcsFromFitsCards(cards: Record<string, unknown>): TanWcs {
  const num = (key: string, fallback?: number): number => {
    const value = cards[key] ?? fallback;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new GeometryError(`TAN WCS: keyword ${key} is ${value === undefined ? 'missing' : `'${String(value)}'`}, expected a number`, { value: key });
    }
    return value;
  };
  for (const key of ['CTYPE1', 'CTYPE2']) {
    if (typeof cards[key] === 'string' && !String(cards[key]).endsWith('-TAN')) {
      throw new GeometryError(`TAN WCS: ${key} = '${String(cards[key])}' is not a TAN projection`, { value: key });
    }
  }
  const cd: TanWcs['cd'] = 'CD1_1' in cards
    ? [[num('CD1_1'), num('CD1_2', 0)], [num('CD2_1', 0), num('CD2_2')]]
    : [[num('CDELT1') * num('PC1_1', 1), num('CDELT1') * num('PC1_2', 0)], [num('CDELT2') * num('PC2_1', 0), num('CDELT2') * num('PC2_2', 1)]];
  return { crval: { ra: num('CRVAL1'), dec: num('CRVAL2') }, crpix: { x: num('CRPIX1') - 1, y: num('CRPIX2') - 1 }, cd };
}
