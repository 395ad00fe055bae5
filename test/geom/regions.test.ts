import { describe, expect, it } from 'vitest';
import {
  angleBetween, boundingCircle, GeometryError, makeBox, makeCircle, makePoint, makePolygon, polygonVertices,
  raDecFromVector, regionContains, regionFromJson, regionsOverlap, regionToJson, separationDeg, vectorFromRaDec,
  type Region,
} from '../../src/geom/index.js';

const square = (ra0: number, dec0: number, ra1: number, dec1: number) =>
  makePolygon([{ ra: ra0, dec: dec0 }, { ra: ra1, dec: dec0 }, { ra: ra1, dec: dec1 }, { ra: ra0, dec: dec1 }]);

describe('unit vectors', () => {
  it('round-trips RA/Dec and keeps RA in [0, 360)', () => {
    const p = raDecFromVector(vectorFromRaDec(-10, 45));
    expect(p.ra).toBeCloseTo(350, 12);
    expect(p.dec).toBeCloseTo(45, 12);
    expect(separationDeg({ ra: 359.5, dec: 0 }, { ra: 0.5, dec: 0 })).toBeCloseTo(1, 12);
  });
});

describe('regions straddling RA = 0', () => {
  const polygon = square(359, -1, 1, 1);
  const box = makeBox(0, 0, 2, 2);

  it('contains points on both sides of RA = 0 and nothing on the far side', () => {
    expect(regionContains(polygon, { ra: 359.5, dec: 0.5 })).toBe(true);
    expect(regionContains(polygon, { ra: 0.5, dec: -0.5 })).toBe(true);
    expect(regionContains(polygon, { ra: 180, dec: 0 })).toBe(false);
    expect(regionContains(polygon, { ra: 1.1, dec: 0 })).toBe(false);
    expect(regionContains(box, { ra: 359.1, dec: 0.9 })).toBe(true);
    expect(regionContains(box, { ra: 1.1, dec: 0 })).toBe(false);
  });

  it('overlaps regions on the other side of RA = 0', () => {
    expect(regionsOverlap(polygon, square(0.5, 0.5, 3, 3))).toBe(true);
    expect(regionsOverlap(box, makeCircle(359.8, 0, 0.1))).toBe(true);
    expect(regionsOverlap(makeBox(359.5, 0, 2, 2), makeBox(0.5, 0, 2, 2))).toBe(true);
    expect(regionsOverlap(polygon, square(2, -1, 4, 1))).toBe(false);
  });

  it('does not count boxes that share the RA = 0 meridian as overlapping', () => {
    expect(regionsOverlap(makeBox(359, 0, 2, 2), makeBox(1, 0, 2, 2))).toBe(false);
  });
});

describe('regions near and around a pole', () => {
  const cap = makePolygon([0, 90, 180, 270].map((ra) => ({ ra, dec: 85 })));

  it('a polygon around the pole contains the pole', () => {
    expect(regionContains(cap, { ra: 0, dec: 90 })).toBe(true);
    expect(regionContains(cap, { ra: 123, dec: 89 })).toBe(true);
    expect(regionContains(cap, { ra: 45, dec: 84 })).toBe(false);
  });

  it('a box reaching the pole contains it and overlaps regions across the pole', () => {
    const box = makeBox(45, 88, 10, 4);
    expect(regionContains(box, { ra: 0, dec: 90 })).toBe(true);
    expect(regionContains(box, { ra: 200, dec: 87 })).toBe(false);
    expect(regionsOverlap(box, cap)).toBe(true);
    expect(regionsOverlap(box, makeCircle(225, 89.5, 0.3))).toBe(false);
    expect(regionsOverlap(box, makeCircle(225, 89.5, 0.6))).toBe(true);
    expect(regionsOverlap(makeBox(0, 88, 400, 4), makeCircle(200, 87, 1.5))).toBe(true);
  });

  it('a polar bounding circle contains every vertex', () => {
    const circle = boundingCircle(cap);
    for (const v of cap.vertices) expect(angleBetween(circle.center, v)).toBeLessThanOrEqual(circle.radius);
    expect(raDecFromVector(circle.center).dec).toBeCloseTo(90, 9);
  });
});

describe('touching and disjoint regions', () => {
  const patch = square(10, 0, 11, 1);

  it('a detector touching a patch only at its corner does not overlap it', () => {
    expect(regionsOverlap(patch, square(11, 1, 12, 2))).toBe(false);
  });

  it('polygons sharing an edge do not overlap, but do as soon as they share area', () => {
    expect(regionsOverlap(patch, square(11, 0, 12, 1))).toBe(false);
    expect(regionsOverlap(patch, square(10.999, 0.5, 12, 1.5))).toBe(true);
  });

  it('identical and nested polygons overlap', () => {
    expect(regionsOverlap(patch, square(10, 0, 11, 1))).toBe(true);
    expect(regionsOverlap(patch, square(10.4, 0.4, 10.6, 0.6))).toBe(true);
    expect(regionsOverlap(square(9, -1, 12, 2), patch)).toBe(true);
  });

  it('crossing polygons with no vertex inside each other overlap', () => {
    expect(regionsOverlap(square(10.4, -1, 10.6, 2), square(9, 0.4, 12, 0.6))).toBe(true);
  });

  it('a point on a boundary is contained and overlaps', () => {
    expect(regionContains(patch, { ra: 10, dec: 0.5 })).toBe(true);
    expect(regionContains(patch, { ra: 10, dec: 0.5 }, 'interior')).toBe(false);
    expect(regionsOverlap(makePoint(10.5, 0.5), patch)).toBe(true);
    expect(regionsOverlap(patch, makePoint(12, 0.5))).toBe(false);
  });

  it('circles overlap by centre distance, not just by bounding boxes', () => {
    expect(regionsOverlap(makeCircle(0, 0, 1), makeCircle(1.9, 0, 1))).toBe(true);
    expect(regionsOverlap(makeCircle(0, 0, 1), makeCircle(2.1, 0, 1))).toBe(false);
    // Near the polygon's corner the circle must reach the corner itself.
    expect(regionsOverlap(patch, makeCircle(11.5, 1.5, 0.6))).toBe(false);
    expect(regionsOverlap(patch, makeCircle(11.5, 1.5, 0.75))).toBe(true);
  });

  it('a box and a polygon overlap only when they share area', () => {
    expect(regionsOverlap(makeBox(10.5, 0.5, 1, 1), patch)).toBe(true);
    expect(regionsOverlap(makeBox(12, 0.5, 1, 1), patch)).toBe(false);
    expect(regionsOverlap(makeBox(11.4, 0.5, 1, 1), patch)).toBe(true);
    expect(regionsOverlap(makeBox(11.5, 0.5, 1, 1), patch)).toBe(false);
  });
});

describe('polygon construction', () => {
  it('builds the convex hull whatever the vertex order', () => {
    const a = makePolygon([{ ra: 0, dec: 0 }, { ra: 1, dec: 1 }, { ra: 1, dec: 0 }, { ra: 0, dec: 1 }, { ra: 0.5, dec: 0.5 }]);
    expect(a.vertices).toHaveLength(4);
    expect(regionContains(a, { ra: 0.5, dec: 0.9 })).toBe(true);
  });

  it('rejects degenerate and hemisphere-sized polygons', () => {
    expect(() => makePolygon([{ ra: 0, dec: 0 }, { ra: 1, dec: 0 }])).toThrow(/at least 3 vertices/);
    expect(() => makePolygon([{ ra: 0, dec: 0 }, { ra: 1, dec: 0 }, { ra: 2, dec: 0 }])).toThrow(/degenerate/);
    expect(() => makePolygon([0, 120, 240].map((ra) => ({ ra, dec: 0 })))).toThrow(GeometryError);
    expect(() => makeCircle(0, 95, 1)).toThrow(/Dec 95 is outside/);
  });
});

describe('region JSON', () => {
  const regions: Region[] = [makePoint(1.5, -2), makeCircle(359, 89, 0.25), makeBox(0, 0, 2, 3), square(359, -1, 1, 1)];

  it('round-trips every region kind compactly', () => {
    for (const region of regions) {
      const json = regionToJson(region);
      const back = regionFromJson(json);
      expect(back.kind).toBe(region.kind);
      expect(regionToJson(back)).toBe(json);
    }
    expect(regionToJson(makeBox(0, 0, 2, 3))).toBe('{"box":[0,0,2,3]}');
    expect(JSON.parse(regionToJson(regions[3]!)).polygon).toHaveLength(4);
    const back = regionFromJson(regionToJson(regions[3]!));
    expect(polygonVertices(back as typeof regions[3] & { kind: 'polygon' })[0]!.dec).toBeCloseTo(-1, 12);
  });

  it('names the problem in malformed JSON', () => {
    expect(() => regionFromJson('{"circle":[1,2]}')).toThrow(/'circle' needs an array of 3 numbers/);
    expect(() => regionFromJson('{"ellipse":[1,2,3]}')).toThrow(/unknown region kind 'ellipse'/);
    expect(() => regionFromJson('nope')).toThrow(/cannot read region JSON 'nope': it is not valid JSON/);
  });
});

describe('bounding circles', () => {
  it('contain the sampled boundary of boxes, including one over a pole', () => {
    for (const box of [makeBox(0, 0, 2, 3), makeBox(100, 80, 60, 20), makeBox(10, -89, 30, 4)]) {
      const circle = boundingCircle(box);
      expect(circle.radius).toBeLessThan(Math.PI / 2);
      for (let i = 0; i <= 100; i++) {
        const ra = box.ra - box.width / 2 + (box.width * i) / 100;
        for (const dec of [Math.max(-90, box.dec - box.height / 2), Math.min(90, box.dec + box.height / 2)]) {
          expect(angleBetween(circle.center, vectorFromRaDec(ra, dec))).toBeLessThanOrEqual(circle.radius);
        }
      }
    }
  });

  it('is the whole sky for a box larger than a hemisphere', () => {
    expect(boundingCircle(makeBox(0, -10, 360, 160)).radius).toBe(Math.PI);
  });
});
