import { GeometryError } from './geometry-error.js';
import { cross, dot, normalize, raDecFromVector, add, type Vec3 } from './vector.js';

const minSeparation = 1e-13;

/**
 * Indices of the convex hull of points on the sphere, counter-clockwise seen from outside. Points are projected
 * gnomonically around their mean direction, so they must all lie in the open hemisphere around it.
 */
export function convexHull(points: readonly Vec3[]): number[] {
  const describe = () => points.map((p) => { const s = raDecFromVector(p); return `(${s.ra}, ${s.dec})`; }).join(' ');
  if (points.length < 3) {
    throw new GeometryError(`POLYGON needs at least 3 vertices, got ${points.length}`, { value: describe() });
  }
  const mean = normalize(points.reduce((a, b) => add(a, b), [0, 0, 0] as Vec3));
  if (points.some((p) => dot(p, mean) <= 1e-9)) {
    throw new GeometryError(`POLYGON does not fit in a hemisphere: ${describe()}`, {
      value: describe(),
      hint: 'split the region into smaller convex polygons',
    });
  }
  const helper: Vec3 = Math.abs(mean[2]) < 0.9 ? [0, 0, 1] : [1, 0, 0];
  const e1 = normalize(cross(helper, mean));
  const e2 = cross(mean, e1);
  const projected = points.map((p, index) => {
    const w = dot(p, mean);
    return { x: dot(p, e1) / w, y: dot(p, e2) / w, index };
  });
  projected.sort((a, b) => a.x - b.x || a.y - b.y);
  const turn = (o: { x: number; y: number }, a: { x: number; y: number }, b: { x: number; y: number }) =>
    (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
  const build = (list: typeof projected) => {
    const chain: typeof projected = [];
    for (const p of list) {
      while (chain.length >= 2 && turn(chain[chain.length - 2]!, chain[chain.length - 1]!, p) <= 1e-15) chain.pop();
      chain.push(p);
    }
    chain.pop();
    return chain;
  };
  const hull = [...build(projected), ...build([...projected].reverse())];
  const indices = hull.map((h) => h.index);
  const distinct = indices.filter((index, i) => {
    const v = points[index]!;
    const next = points[indices[(i + 1) % indices.length]!]!;
    return Math.hypot(v[0] - next[0], v[1] - next[1], v[2] - next[2]) > minSeparation;
  });
  if (distinct.length < 3) {
    throw new GeometryError(`POLYGON is degenerate (its vertices are collinear or repeated): ${describe()}`, {
      value: describe(),
    });
  }
  return distinct;
}
