import { boxArcs, geometryEpsilon, pointOnArc, polygonArcs, splitParams, type Arc } from './arcs.js';
import { boundingCircle } from './bounding-circle.js';
import { distanceToRegion, regionContains } from './region-contains.js';
import type { BoxRegion, PolygonRegion, Region } from './regions.js';
import { add, angleBetween, normalize, vectorFromRaDec, radToDeg, type Vec3 } from './vector.js';

/**
 * Whether two regions overlap. Semantics: regions that both have area overlap only when they
 * share area — touching along an edge or at a single corner is NOT overlap (so a patch that meets
 * a detector only at a corner gets no quantum). A point region overlaps a region that contains
 * it, boundary included. Exact for every pair of kinds up to a tolerance of about 2 micro-arcsec.
 */
export function regionsOverlap(first: Region, second: Region): boolean {
  if (first.kind === 'point') return regionContains(second, first.center);
  if (second.kind === 'point') return regionContains(first, second.center);
  const a = boundingCircle(first);
  const b = boundingCircle(second);
  if (angleBetween(a.center, b.center) >= a.radius + b.radius) return false;
  if (first.kind === 'circle') return distanceToRegion(second, first.center) < first.radius - geometryEpsilon;
  if (second.kind === 'circle') return distanceToRegion(first, second.center) < second.radius - geometryEpsilon;
  return areasOverlap(first, second);
}

type AreaRegion = PolygonRegion | BoxRegion;

function arcsOf(region: AreaRegion): Arc[] {
  return region.kind === 'polygon' ? polygonArcs(region) : boxArcs(region);
}

function interiorPoint(region: AreaRegion): Vec3 {
  if (region.kind === 'polygon') return normalize(region.vertices.reduce((x, y) => add(x, y), [0, 0, 0] as Vec3));
  return vectorFromRaDec(
    (region.lonMin + region.lonWidth / 2) * radToDeg,
    ((region.latMin + region.latMax) / 2) * radToDeg,
  );
}

/**
 * Interiors intersect iff a boundary piece of one passes through the interior of the other, or
 * one lies inside the other. Each arc is cut at every point it shares with the other boundary;
 * between cuts a piece is wholly inside or wholly outside, so testing its midpoint is exact.
 */
function areasOverlap(first: AreaRegion, second: AreaRegion): boolean {
  const arcsA = arcsOf(first);
  const arcsB = arcsOf(second);
  const crosses = (arcs: Arc[], others: Arc[], other: AreaRegion) =>
    arcs.some((arc) => {
      const params = splitParams(arc, others);
      for (let i = 1; i < params.length; i++) {
        const t0 = params[i - 1]!;
        const t1 = params[i]!;
        if (t1 - t0 <= geometryEpsilon) continue;
        if (regionContains(other, pointOnArc(arc, (t0 + t1) / 2), 'interior')) return true;
      }
      return false;
    });
  if (crosses(arcsA, arcsB, second) || crosses(arcsB, arcsA, first)) return true;
  return regionContains(second, interiorPoint(first), 'interior') || regionContains(first, interiorPoint(second), 'interior');
}
