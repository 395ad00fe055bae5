import type { BoxRegion, PolygonRegion } from './regions.js';
import { angleBetween, cross, dot, normalize, type Vec3 } from './vector.js';

/** Numerical tolerance of the geometry (radians, about 2 micro-arcseconds). */
export const geometryEpsilon = 1e-11;
const twoPi = 2 * Math.PI;

/** A great-circle arc from `a` through `length` radians toward `u` (shorter than π). */
export interface GreatArc {
  kind: 'great';
  a: Vec3;
  u: Vec3;
  n: Vec3;
  length: number;
}

/** An arc of constant latitude from `lonStart` eastward over `width` radians. */
export interface LatitudeArc {
  kind: 'latitude';
  lat: number;
  lonStart: number;
  width: number;
}

/** A boundary piece of a polygon or box. */
export type Arc = GreatArc | LatitudeArc;

export function normalizeAngle(angle: number): number {
  const a = angle % twoPi;
  return a < 0 ? a + twoPi : a;
}

export function makeGreatArc(a: Vec3, b: Vec3): GreatArc {
  const n = normalize(cross(a, b));
  return { kind: 'great', a, u: cross(n, a), n, length: angleBetween(a, b) };
}

export function pointOnArc(arc: Arc, t: number): Vec3 {
  if (arc.kind === 'great') {
    const c = Math.cos(t);
    const s = Math.sin(t);
    return [arc.a[0] * c + arc.u[0] * s, arc.a[1] * c + arc.u[1] * s, arc.a[2] * c + arc.u[2] * s];
  }
  const lon = arc.lonStart + t;
  const cl = Math.cos(arc.lat);
  return [cl * Math.cos(lon), cl * Math.sin(lon), Math.sin(arc.lat)];
}

export function arcLength(arc: Arc): number {
  return arc.kind === 'great' ? arc.length : arc.width;
}

/** Boundary arcs of a polygon (its edges). */
export function polygonArcs(region: PolygonRegion): Arc[] {
  const vs = region.vertices;
  return vs.map((v, i) => makeGreatArc(v, vs[(i + 1) % vs.length]!));
}

/** Boundary arcs of a box: Dec edges (unless at a pole) and RA edges split in halves (unless all RA). */
export function boxArcs(box: BoxRegion): Arc[] {
  const arcs: Arc[] = [];
  const halfPi = Math.PI / 2;
  if (box.latMin > -halfPi) arcs.push({ kind: 'latitude', lat: box.latMin, lonStart: box.lonMin, width: box.lonWidth });
  if (box.latMax < halfPi) arcs.push({ kind: 'latitude', lat: box.latMax, lonStart: box.lonMin, width: box.lonWidth });
  if (box.lonWidth < twoPi) {
    const mid = (box.latMin + box.latMax) / 2;
    for (const lon of [box.lonMin, box.lonMin + box.lonWidth]) {
      const at = (lat: number): Vec3 => [Math.cos(lat) * Math.cos(lon), Math.cos(lat) * Math.sin(lon), Math.sin(lat)];
      arcs.push(makeGreatArc(at(box.latMin), at(mid)), makeGreatArc(at(mid), at(box.latMax)));
    }
  }
  return arcs.filter((arc) => arcLength(arc) > geometryEpsilon);
}

/** Parameter of `p` along `arc` if `p` lies on it (within tolerance), else undefined. */
export function paramOnArc(arc: Arc, p: Vec3): number | undefined {
  if (arc.kind === 'great') {
    if (Math.abs(dot(arc.n, p)) > geometryEpsilon) return undefined;
    const t = Math.atan2(dot(p, arc.u), dot(p, arc.a));
    return t >= -geometryEpsilon && t <= arc.length + geometryEpsilon ? clamp(t, 0, arc.length) : undefined;
  }
  const lat = Math.atan2(p[2], Math.hypot(p[0], p[1]));
  if (Math.abs(lat - arc.lat) > geometryEpsilon) return undefined;
  return lonParam(arc, Math.atan2(p[1], p[0]), Math.cos(lat));
}

function lonParam(arc: LatitudeArc, lon: number, cosLat: number): number | undefined {
  const t = normalizeAngle(lon - arc.lonStart);
  if (t <= arc.width) return t;
  if ((twoPi - t) * cosLat <= geometryEpsilon) return 0;
  if ((t - arc.width) * cosLat <= geometryEpsilon) return arc.width;
  return undefined;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

function endpoints(arc: Arc): Vec3[] {
  return [pointOnArc(arc, 0), pointOnArc(arc, arcLength(arc))];
}

/** Points where a great arc meets the circle of latitude `lat` (on the arc only). */
function greatArcAtLatitude(arc: GreatArc, lat: number): Vec3[] {
  const target = Math.sin(lat);
  const r = Math.hypot(arc.a[2], arc.u[2]);
  if (r < geometryEpsilon) return [];
  const c = target / r;
  if (Math.abs(c) > 1 + geometryEpsilon) return [];
  const phi = Math.atan2(arc.u[2], arc.a[2]);
  const delta = Math.acos(clamp(c, -1, 1));
  const out: Vec3[] = [];
  for (const theta of [phi + delta, phi - delta]) {
    let t = normalizeAngle(theta);
    if (t > Math.PI) t -= twoPi;
    if (t >= -geometryEpsilon && t <= arc.length + geometryEpsilon) out.push(pointOnArc(arc, clamp(t, 0, arc.length)));
  }
  return out;
}

/** Candidate points shared by two arcs: proper intersections and endpoints of one lying on the other. */
function sharedPoints(first: Arc, second: Arc): Vec3[] {
  const points = [...endpoints(second), ...endpoints(first)];
  if (first.kind === 'great' && second.kind === 'great') {
    const d = cross(first.n, second.n);
    if (Math.hypot(d[0], d[1], d[2]) > 1e-15) {
      const x = normalize(d);
      points.push(x, [-x[0], -x[1], -x[2]]);
    }
  } else if (first.kind === 'great' && second.kind === 'latitude') {
    points.push(...greatArcAtLatitude(first, second.lat));
  } else if (first.kind === 'latitude' && second.kind === 'great') {
    points.push(...greatArcAtLatitude(second, first.lat));
  }
  return points;
}

/** Sorted parameters along `arc` that split it at every point it shares with any of `others`. */
export function splitParams(arc: Arc, others: readonly Arc[]): number[] {
  const params = [0, arcLength(arc)];
  for (const other of others) {
    for (const p of sharedPoints(arc, other)) {
      if (paramOnArc(other, p) === undefined) continue;
      const t = paramOnArc(arc, p);
      if (t !== undefined) params.push(t);
    }
  }
  return params.sort((a, b) => a - b);
}

/** Angular distance (radians) from `p` to the closest point of `arc`. */
export function distanceToArc(p: Vec3, arc: Arc): number {
  const [start, end] = endpoints(arc) as [Vec3, Vec3];
  const toEnds = Math.min(angleBetween(p, start), angleBetween(p, end));
  if (arc.kind === 'great') {
    const s = dot(arc.n, p);
    const q: Vec3 = [p[0] - s * arc.n[0], p[1] - s * arc.n[1], p[2] - s * arc.n[2]];
    const qn = Math.hypot(q[0], q[1], q[2]);
    if (qn < 1e-15) return Math.PI / 2;
    const t = Math.atan2(dot(q, arc.u), dot(q, arc.a));
    return t >= 0 && t <= arc.length ? Math.atan2(Math.abs(s), qn) : toEnds;
  }
  const lat = Math.atan2(p[2], Math.hypot(p[0], p[1]));
  const t = normalizeAngle(Math.atan2(p[1], p[0]) - arc.lonStart);
  return t <= arc.width ? Math.abs(lat - arc.lat) : toEnds;
}
