/** A 3-vector; sky positions are unit vectors (x toward RA=0 Dec=0, z toward the north pole). */
export type Vec3 = readonly [number, number, number];

/** A sky position in degrees. */
export interface SkyPoint {
  ra: number;
  dec: number;
}

export const degToRad = Math.PI / 180;
export const radToDeg = 180 / Math.PI;

/** Unit vector of (ra, dec) in degrees. */
export function vectorFromRaDec(ra: number, dec: number): Vec3 {
  const a = ra * degToRad;
  const d = dec * degToRad;
  return [Math.cos(d) * Math.cos(a), Math.cos(d) * Math.sin(a), Math.sin(d)];
}

/** (ra, dec) in degrees of a vector; ra in [0, 360), 0 at the poles. */
export function raDecFromVector(v: Vec3): SkyPoint {
  const [x, y, z] = v;
  const rho = Math.hypot(x, y);
  const dec = Math.atan2(z, rho) * radToDeg;
  if (rho === 0) return { ra: 0, dec };
  let ra = Math.atan2(y, x) * radToDeg;
  if (ra < 0) ra += 360;
  if (ra >= 360) ra -= 360;
  return { ra, dec };
}

export function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

export function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export function add(a: Vec3, b: Vec3): Vec3 {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
}

export function scale(a: Vec3, s: number): Vec3 {
  return [a[0] * s, a[1] * s, a[2] * s];
}

export function norm(a: Vec3): number {
  return Math.hypot(a[0], a[1], a[2]);
}

/** `a / |a|`; the zero vector stays zero. */
export function normalize(a: Vec3): Vec3 {
  const n = norm(a);
  return n === 0 ? a : [a[0] / n, a[1] / n, a[2] / n];
}

/** Angle between two vectors in radians, accurate for tiny and near-π angles. */
export function angleBetween(a: Vec3, b: Vec3): number {
  return Math.atan2(norm(cross(a, b)), dot(a, b));
}

/** Angular separation in degrees between two sky positions. */
export function separationDeg(a: SkyPoint, b: SkyPoint): number {
  return angleBetween(vectorFromRaDec(a.ra, a.dec), vectorFromRaDec(b.ra, b.dec)) * radToDeg;
}
