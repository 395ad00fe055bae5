import { boxArcs, distanceToArc, geometryEpsilon, normalizeAngle, polygonArcs } from './arcs.js';
import type { BoxRegion, Region } from './regions.js';
import { angleBetween, dot, vectorFromRaDec, type SkyPoint, type Vec3 } from './vector.js';

/** Containment mode: `closed` includes the boundary, `interior` excludes it (both within tolerance). */
export type ContainsMode = 'closed' | 'interior';

/**
 * Whether `region` contains the point (a unit vector or degrees). Regions are closed: a point on
 * the boundary (within about 2 micro-arcseconds) is contained.
 */
export function regionContains(region: Region, point: Vec3 | SkyPoint, mode: ContainsMode = 'closed'): boolean {
  const p = 'ra' in point ? vectorFromRaDec(point.ra, point.dec) : point;
  const margin = mode === 'closed' ? -geometryEpsilon : geometryEpsilon;
  switch (region.kind) {
    case 'point':
      return mode === 'closed' && angleBetween(region.center, p) <= geometryEpsilon;
    case 'circle':
      return angleBetween(region.center, p) < region.radius - margin;
    case 'polygon':
      return region.edgeNormals.every((n) => (mode === 'closed' ? dot(n, p) >= margin : dot(n, p) > margin));
    case 'box':
      return boxContains(region, p, mode);
  }
}

function boxContains(box: BoxRegion, p: Vec3, mode: ContainsMode): boolean {
  const cosLat = Math.hypot(p[0], p[1]);
  const lat = Math.atan2(p[2], cosLat);
  const eps = geometryEpsilon;
  if (mode === 'closed') {
    if (lat < box.latMin - eps || lat > box.latMax + eps) return false;
    if (box.lonWidth >= 2 * Math.PI || cosLat < eps) return true;
    const t = normalizeAngle(Math.atan2(p[1], p[0]) - box.lonMin);
    return t <= box.lonWidth || (2 * Math.PI - t) * cosLat <= eps || (t - box.lonWidth) * cosLat <= eps;
  }
  if (lat <= box.latMin + eps || lat >= box.latMax - eps) return false;
  if (box.lonWidth >= 2 * Math.PI) return true;
  const t = normalizeAngle(Math.atan2(p[1], p[0]) - box.lonMin);
  return t < box.lonWidth && t * cosLat > eps && (box.lonWidth - t) * cosLat > eps;
}

/** Angular distance in radians from a point to a region (0 inside it). */
export function distanceToRegion(region: Region, p: Vec3): number {
  switch (region.kind) {
    case 'point':
      return angleBetween(region.center, p);
    case 'circle':
      return Math.max(0, angleBetween(region.center, p) - region.radius);
    case 'polygon':
    case 'box': {
      if (regionContains(region, p)) return 0;
      const arcs = region.kind === 'polygon' ? polygonArcs(region) : boxArcs(region);
      return Math.min(...arcs.map((arc) => distanceToArc(p, arc)));
    }
  }
}
