import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeCircle, regionContains, regionsOverlap, separationDeg } from '../../src/geom/index.js';
import {
  buildSkymap, findPatchContaining, findPatchesOverlapping, findSkymapConfig, findTractsOverlapping, getPatch, listPatches,
  loadSkymapConfig, parseSkymapConfig, patchLabel,
} from '../../src/skymap/index.js';

describe('the demo skymap', () => {
  const skymap = buildSkymap(findSkymapConfig('demo'));
  const tract = skymap.tracts[0]!;
  const patches = listPatches(tract);

  it('has one tract of 2 x 2 patches with sequential ids y * nx + x', () => {
    expect(skymap.tracts).toHaveLength(1);
    expect(tract.numPatches).toEqual({ x: 2, y: 2 });
    expect(patches.map((p) => [p.id, p.cell_x, p.cell_y])).toEqual([[0, 0, 0], [1, 1, 0], [2, 0, 1], [3, 1, 1]]);
    expect(patches.map(patchLabel)).toEqual(['0x0', '1x0', '0x1', '1x1']);
  });

  it('centres the tract on its configured position', () => {
    expect(tract.ra).toBe(150);
    expect(tract.dec).toBe(2);
    expect(regionContains(tract.innerRegion, { ra: 150, dec: 2 })).toBe(true);
  });

  it('gives inner patch regions that only touch and outer regions that overlap by the border', () => {
    expect(regionsOverlap(patches[0]!.innerRegion, patches[1]!.innerRegion)).toBe(false);
    expect(regionsOverlap(patches[0]!.innerRegion, patches[3]!.innerRegion)).toBe(false);
    expect(regionsOverlap(patches[0]!.region, patches[1]!.region)).toBe(true);
  });

  it('finds the patch holding a position and the patches overlapping a small circle', () => {
    const east = findPatchContaining(tract, { ra: 150.005, dec: 2.005 });
    // East is -x in tract pixels, north is +y.
    expect(east && [east.cell_x, east.cell_y]).toEqual([0, 1]);
    expect(findPatchContaining(tract, { ra: 151, dec: 2 })).toBeUndefined();
    expect(findPatchesOverlapping(tract, makeCircle(150, 2, 0.001)).map((p) => p.id)).toEqual([0, 1, 2, 3]);
    expect(findPatchesOverlapping(tract, makeCircle(152, 2, 0.001))).toEqual([]);
  });

  it('rejects patch ids outside the grid', () => {
    expect(() => getPatch(tract, 4)).toThrow(/patches 0..3, not 4/);
  });
});

describe('the rings skymap', () => {
  const skymap = buildSkymap(findSkymapConfig('rings'));

  it('has pole tracts first and last and covers the whole sky, including RA = 0 and the poles', () => {
    expect(skymap.tracts[0]!.dec).toBe(-90);
    expect(skymap.tracts.at(-1)!.dec).toBe(90);
    expect(skymap.tracts.length).toBeGreaterThan(18000);
    const points = [{ ra: 0, dec: 90 }, { ra: 0, dec: -90 }, { ra: 359.9999, dec: 0.3 }, { ra: 0, dec: 0 }];
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 40; i++) points.push({ ra: random() * 360, dec: (Math.asin(2 * random() - 1) * 180) / Math.PI });
    for (const point of points) {
      const nearby = skymap.tracts.filter((t) => separationDeg(t, point) < 3);
      expect(nearby.some((t) => regionContains(t.innerRegion, point))).toBe(true);
    }
  });

  it('finds a few tracts for a small region', () => {
    const found = findTractsOverlapping(skymap, makeCircle(150, 2, 0.1));
    expect(found.length).toBeGreaterThanOrEqual(1);
    expect(found.length).toBeLessThanOrEqual(4);
  });
});

describe('skymap config validation', () => {
  it('names the file and key of a bad value', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'skymap-'));
    const file = path.join(dir, 'bad.yaml');
    await writeFile(file, 'name: bad\nkind: discrete\npixelScaleArcsec: 0.2\npatchInnerDimensions: [100, 100]\ntracts:\n  - {ra: 1, dec: 95, radiusDeg: 1}\n');
    expect(() => loadSkymapConfig(file)).toThrow(/bad\.yaml': key 'tracts\[0\]\.dec': must be within \[-90, 90\], got 95/);
  });

  it('rejects unknown kinds, unknown keys and names unusable in file names', () => {
    expect(() => parseSkymapConfig({ name: 'x', kind: 'healpix' }, 'x.yaml')).toThrow(/key 'kind': must be one of discrete, rings/);
    expect(() => parseSkymapConfig({ name: 'x', kind: 'rings', numberOfRings: 3, pixelScaleArcsec: 1, patchInnerDimensions: [10, 10], rings: 3 }, 'x.yaml')).toThrow(/key 'rings': unknown key/);
    expect(() => parseSkymapConfig({ name: 'a,b', kind: 'rings', numberOfRings: 3, pixelScaleArcsec: 1, patchInnerDimensions: [10, 10] }, 'x.yaml')).toThrow(/'a,b' may only contain/);
  });

  it('reports a missing shipped skymap', () => {
    expect(() => findSkymapConfig('nope')).toThrow(/no shipped skymap named 'nope'/);
  });
});
