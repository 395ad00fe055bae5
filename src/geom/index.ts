/**
 * Sky geometry on unit vectors: points, circles, RA/Dec boxes and convex spherical polygons, with
 * containment, exact overlap tests, bounding circles, compact JSON for database columns, and a
 * gnomonic (TAN) projection for detectors and skymap tracts. Correct across RA = 0/360 and at the
 * poles because nothing is computed on RA/Dec ranges except the box, which is defined that way.
 *
 * Overlap semantics: two regions with area overlap only when they share area; touching along an
 * edge or at a corner is not overlap. A point overlaps a region containing it (boundary included).
 * @packageDocumentation
 */

/** Error for regions or projections that cannot be built (bad values, degenerate polygons, bad JSON). */
export { GeometryError } from './geometry-error.js';

/** Unit-vector helpers: `vectorFromRaDec(ra, dec)`, `raDecFromVector(v)`, `angleBetween(a, b)` (radians), `separationDeg(a, b)`. */
export {
  angleBetween, cross, degToRad, dot, normalize, radToDeg, raDecFromVector, separationDeg, vectorFromRaDec,
} from './vector.js';
export type { SkyPoint, Vec3 } from './vector.js';

/**
 * Region constructors (degrees): `makePoint(ra, dec)`, `makeCircle(ra, dec, radius)`,
 * `makeBox(ra, dec, width, height)` (daf_butler's BOX), `makePolygon(points)` (convex hull).
 */
export { makeBox, makeCircle, makePoint, makePolygon, makePolygonFromVectors, polygonVertices, regionKinds } from './regions.js';
export type { BoxRegion, CircleRegion, PointRegion, PolygonRegion, Region, RegionKind } from './regions.js';

/** The tolerance (radians) used by containment and overlap tests. */
export { geometryEpsilon } from './arcs.js';

/** `regionContains(region, point, mode?)` and `distanceToRegion(region, vector)` (radians). */
export { distanceToRegion, regionContains } from './region-contains.js';
export type { ContainsMode } from './region-contains.js';

/** `regionsOverlap(a, b)`: exact overlap for every pair of region kinds (shared area required). */
export { regionsOverlap } from './regions-overlap.js';

/** `boundingCircle(region)`: a cap containing the region (radius in radians; π for huge regions). */
export { boundingCircle } from './bounding-circle.js';

/** `regionToJson(region)` / `regionFromJson(json)`: compact JSON for a text column. */
export { regionFromJson, regionToJson } from './region-json.js';

/** Gnomonic projection: pixel ↔ sky, pixel boxes as polygons, FITS WCS keywords. */
export {
  makeCdMatrix, pixelBoxToPolygon, pixelToSky, pixelToVector, skyToPixel, tanWcsFromFitsCards, tanWcsToFitsCards,
} from './tan-wcs.js';
export type { PixelPoint, TanWcs } from './tan-wcs.js';

/** Detector WCS and sky polygon from a pointing, sky angle, pixel scale and focal-plane placement. */
export { detectorRegion, makeDetectorWcs } from './detector-wcs.js';
export type { DetectorPlacement, DetectorWcsOptions } from './detector-wcs.js';
