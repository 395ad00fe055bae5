import { arcLength, boxArcs, pointOnArc } from './arcs.js';
import { regionContains } from './region-contains.js';
import type { BoxRegion, CircleRegion, Region } from './regions.js';
import { add, angleBetween, normalize, vectorFromRaDec, radToDeg, type Vec3 } from './vector.js';

const samplesPerArc = 16;

/** A cap containing the whole region (radius π when no cap smaller than a hemisphere does). */
export function boundingCircle(region: Region): CircleRegion {
  switch (region.kind) {
    case 'point':
      return { kind: 'circle', center: region.center, radius: 0 };
    case 'circle':
      return region;
    case 'polygon':
      return capAround(region.vertices, 0, region);
    case 'box':
      return boxCircle(region);
  }
}

function capAround(points: readonly Vec3[], padding: number, region: Region): CircleRegion {
  const center = normalize(points.reduce((a, b) => add(a, b), [0, 0, 0] as Vec3));
  const radius = Math.max(...points.map((p) => angleBetween(center, p))) + padding;
  if (radius >= Math.PI / 2 || !regionContains(region, center)) return { kind: 'circle', center, radius: Math.PI };
  return { kind: 'circle', center, radius };
}

function boxCircle(box: BoxRegion): CircleRegion {
  const arcs = boxArcs(box);
  if (arcs.length === 0) return { kind: 'circle', center: vectorFromRaDec(0, 90), radius: Math.PI };
  const samples: Vec3[] = [];
  let padding = 0;
  for (const arc of arcs) {
    const step = arcLength(arc) / samplesPerArc;
    // A boundary point is within half a step (in angle) of a sample; the step along a latitude
    // arc is an upper bound of the angle it spans.
    padding = Math.max(padding, step / 2);
    for (let i = 0; i <= samplesPerArc; i++) samples.push(pointOnArc(arc, i * step));
  }
  if (box.latMax * radToDeg >= 90) samples.push([0, 0, 1]);
  if (box.latMin * radToDeg <= -90) samples.push([0, 0, -1]);
  return capAround(samples, padding + 1e-12, box);
}
