import { GeometryError } from './geometry-error.js';
import { convexHull } from './convex-hull.js';
import { degToRad, normalize, raDecFromVector, vectorFromRaDec, cross, type SkyPoint, type Vec3 } from './vector.js';

/** Kinds of sky regions. */
export const regionKinds = ['point', 'circle', 'box', 'polygon'] as const;
export type RegionKind = (typeof regionKinds)[number];

/** A single sky position. */
export interface PointRegion {
  readonly kind: 'point';
  readonly center: Vec3;
}

/** A spherical cap: every point within `radius` radians of `center`. */
export interface CircleRegion {
  readonly kind: 'circle';
  readonly center: Vec3;
  readonly radius: number;
}

/**
 * A longitude/latitude box as daf_butler's `BOX(ra, dec, width, height)` defines it (via
 * sphgeom.Box): RA within ra ± width/2 (degrees of RA, not of arc), Dec within dec ± height/2
 * clipped to ±90. Its Dec edges are small circles, not great circles.
 */
export interface BoxRegion {
  readonly kind: 'box';
  /** The defining values in degrees, as given. */
  readonly ra: number;
  readonly dec: number;
  readonly width: number;
  readonly height: number;
  /** Western edge in radians, [0, 2π). */
  readonly lonMin: number;
  /** RA extent in radians, (0, 2π]; 2π means all RA. */
  readonly lonWidth: number;
  readonly latMin: number;
  readonly latMax: number;
}

/** A convex spherical polygon; vertices counter-clockwise seen from outside the sphere. */
export interface PolygonRegion {
  readonly kind: 'polygon';
  readonly vertices: readonly Vec3[];
  /** The same vertices in degrees (as given when built from RA/Dec, so JSON round trips are exact). */
  readonly points: readonly SkyPoint[];
  /** Unit normal of each edge plane (vertex i to i+1); the interior is on the positive side of all. */
  readonly edgeNormals: readonly Vec3[];
}

/** Any sky region. */
export type Region = PointRegion | CircleRegion | BoxRegion | PolygonRegion;

function checkFinite(what: string, values: number[]): void {
  if (values.some((v) => !Number.isFinite(v))) {
    throw new GeometryError(`${what}: every value must be a finite number, got (${values.join(', ')})`, {
      value: values.join(', '),
    });
  }
}

function checkDec(what: string, dec: number): void {
  if (dec < -90 || dec > 90) {
    throw new GeometryError(`${what}: Dec ${dec} is outside [-90, 90]`, { value: String(dec), hint: 'Dec is in degrees' });
  }
}

/** `POINT(ra, dec)`, degrees. */
export function makePoint(ra: number, dec: number): PointRegion {
  checkFinite('POINT', [ra, dec]);
  checkDec('POINT', dec);
  return { kind: 'point', center: vectorFromRaDec(ra, dec) };
}

/** `CIRCLE(ra, dec, radius)`, degrees; the radius is the angular radius of the cap. */
export function makeCircle(ra: number, dec: number, radiusDeg: number): CircleRegion {
  checkFinite('CIRCLE', [ra, dec, radiusDeg]);
  checkDec('CIRCLE', dec);
  if (radiusDeg < 0 || radiusDeg > 180) {
    throw new GeometryError(`CIRCLE: radius ${radiusDeg} is outside [0, 180] degrees`, { value: String(radiusDeg) });
  }
  return { kind: 'circle', center: vectorFromRaDec(ra, dec), radius: radiusDeg * degToRad };
}

/** `BOX(ra, dec, width, height)`, degrees; see {@link BoxRegion} for the meaning. */
export function makeBox(ra: number, dec: number, width: number, height: number): BoxRegion {
  checkFinite('BOX', [ra, dec, width, height]);
  checkDec('BOX', dec);
  if (width <= 0 || height <= 0) {
    throw new GeometryError(`BOX: width ${width} and height ${height} must both be positive`, {
      value: `${width}, ${height}`,
    });
  }
  const lonWidth = Math.min(width, 360) * degToRad;
  let lonMin = ((ra - width / 2) * degToRad) % (2 * Math.PI);
  if (lonMin < 0) lonMin += 2 * Math.PI;
  const latMin = Math.max(dec - height / 2, -90) * degToRad;
  const latMax = Math.min(dec + height / 2, 90) * degToRad;
  return { kind: 'box', ra, dec, width, height, lonMin: lonWidth >= 2 * Math.PI ? 0 : lonMin, lonWidth, latMin, latMax };
}

/**
 * `POLYGON(ra1, dec1, ra2, dec2, ...)`: the convex hull of the vertices (order is ignored, like
 * daf_butler's ConvexPolygon). The polygon must fit in a hemisphere.
 */
export function makePolygon(points: readonly SkyPoint[]): PolygonRegion {
  checkFinite('POLYGON', points.flatMap((p) => [p.ra, p.dec]));
  for (const p of points) checkDec('POLYGON', p.dec);
  return buildPolygon(points.map((p) => vectorFromRaDec(p.ra, p.dec)), points);
}

/** A convex polygon as the hull of unit vectors (order ignored). */
export function makePolygonFromVectors(points: readonly Vec3[]): PolygonRegion {
  return buildPolygon(points.map(normalize));
}

function buildPolygon(vectors: readonly Vec3[], given?: readonly SkyPoint[]): PolygonRegion {
  const hull = convexHull(vectors);
  const vertices = hull.map((i) => vectors[i]!);
  const points = hull.map((i) => (given === undefined ? raDecFromVector(vectors[i]!) : { ra: given[i]!.ra, dec: given[i]!.dec }));
  const edgeNormals = vertices.map((v, i) => normalize(cross(v, vertices[(i + 1) % vertices.length]!)));
  return { kind: 'polygon', vertices, points, edgeNormals };
}

/** The vertices of a polygon in degrees, counter-clockwise. */
export function polygonVertices(region: PolygonRegion): SkyPoint[] {
  return region.points.map((p) => ({ ...p }));
}
