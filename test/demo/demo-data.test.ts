import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeDemoData, planDemoData, type DemoData } from '../../src/demo/index.js';
import { readFits } from '../../src/fits/index.js';
import { regionsOverlap, skyToPixel, tanWcsFromFitsCards } from '../../src/geom/index.js';
import { computeVisitDetectorRegion, computeVisitRegion, findInstrument, readRawMetadata, type RawMetadata } from '../../src/instrument/index.js';
import { buildSkymap, findSkymapConfig, listPatches } from '../../src/skymap/index.js';

const demo = findInstrument('DemoCam');
let data: DemoData;
let metadata: RawMetadata[];

beforeAll(async () => {
  data = await makeDemoData({ dir: await mkdtemp(path.join(tmpdir(), 'demo-')) });
  metadata = await Promise.all(data.rawFiles.map((f) => readRawMetadata(demo, f.path)));
});

describe('default demo data', () => {
  it('writes 2 biases, 2 flats per band and 8 science visits for 2 detectors each', () => {
    const count = (type: string) => metadata.filter((m) => m.observation_type === type).length;
    expect([count('bias'), count('flat'), count('science')]).toEqual([4, 8, 16]);
    expect(data.rawFiles.every((f) => !path.basename(f.path).includes(','))).toBe(true);
    const science = metadata.filter((m) => m.observation_type === 'science');
    expect(new Set(science.map((m) => m.exposure)).size).toBe(8);
    expect(science.filter((m) => m.band === 'i').length).toBe(8);
    expect(science.filter((m) => m.band === 'r').length).toBe(8);
    expect(new Set(metadata.map((m) => m.day_obs))).toEqual(new Set([20240314]));
  });

  it('gives 16 visit-detector regions, each overlapping all 4 demo patches (32 visit-patch overlaps)', () => {
    const tract = buildSkymap(findSkymapConfig('demo')).tracts[0]!;
    const patches = listPatches(tract);
    const science = metadata.filter((m) => m.observation_type === 'science');
    const regions = science.map((m) => computeVisitDetectorRegion(demo, m, m.detector));
    expect(regions).toHaveLength(16);
    for (const region of regions) expect(patches.filter((p) => regionsOverlap(region, p.region))).toHaveLength(4);
    const visits = [...new Set(science.map((m) => m.exposure))];
    const visitOverlaps = visits.flatMap((visit) => {
      const pointing = science.find((m) => m.exposure === visit)!;
      const region = computeVisitRegion(demo, pointing);
      return patches.filter((p) => regionsOverlap(region, p.region)).map((p) => [visit, p.id]);
    });
    expect(visitOverlaps).toHaveLength(32);
  });

  it('applies bias level, flat field and sky so the images have a signature to remove', async () => {
    const mean = (values: ArrayLike<number>) => Array.from(values).reduce((a, b) => a + b, 0) / values.length;
    const bias = await readFits(data.rawFiles.find((f) => f.type === 'bias' && f.detector === 1)!.path);
    const flat = await readFits(data.rawFiles.find((f) => f.type === 'flat' && f.detector === 0)!.path);
    const science = await readFits(data.rawFiles.find((f) => f.type === 'science' && f.band === 'i')!.path);
    expect(mean(bias[0]!.image!.data)).toBeCloseTo(1020, 0);
    expect(mean(flat[0]!.image!.data)).toBeGreaterThan(1000 + 17000);
    expect(mean(science[0]!.image!.data)).toBeGreaterThan(1000 + 200);
  });

  it('puts the reference stars where the raw WCS says they are', async () => {
    const [, table] = await readFits(data.refcatPath);
    const stars = table!.table!;
    expect(stars.columns.map((c) => c.name)).toEqual(['id', 'ra', 'dec', 'i_mag', 'r_mag']);
    const file = data.rawFiles.find((f) => f.type === 'science' && f.detector === 0)!;
    const [hdu] = await readFits(file.path);
    const wcs = tanWcsFromFitsCards(hdu!.header.toRecord());
    const image = hdu!.image!;
    const mags = stars.data['i_mag'] as number[];
    let brightest = -1;
    for (let i = 0; i < stars.rows; i++) {
      const { x, y } = skyToPixel(wcs, { ra: (stars.data['ra'] as number[])[i]!, dec: (stars.data['dec'] as number[])[i]! });
      if (x > 10 && y > 10 && x < 245 && y < 245 && (brightest < 0 || mags[i]! < mags[brightest]!)) brightest = i;
    }
    expect(brightest).toBeGreaterThanOrEqual(0);
    const { x, y } = skyToPixel(wcs, { ra: (stars.data['ra'] as number[])[brightest]!, dec: (stars.data['dec'] as number[])[brightest]! });
    const peak = image.data[Math.round(y) * image.width + Math.round(x)]!;
    const background = image.data[5 * image.width + 5]!;
    expect(peak - background).toBeGreaterThan(100);
  });

  it('is deterministic for a seed and changes with it', async () => {
    const small = { bands: ['r'], visitsPerBand: 1, biasCount: 0, flatsPerBand: 0, detectors: [1] };
    const make = async (seed: number) => makeDemoData({ dir: await mkdtemp(path.join(tmpdir(), 'demo-')), seed, ...small });
    const [a, b, c] = await Promise.all([make(5), make(5), make(6)]);
    expect(a.rawFiles).toHaveLength(1);
    const bytes = async (d: DemoData) => readFile(d.rawFiles[0]!.path);
    expect((await bytes(a)).equals(await bytes(b))).toBe(true);
    expect((await bytes(a)).equals(await bytes(c))).toBe(false);
    expect((await readFile(a.refcatPath)).equals(await readFile(b.refcatPath))).toBe(true);
    expect(planDemoData(demo, { seed: 2 }).sources[0]!.ra).not.toBe(data.plan.sources[0]!.ra);
  });
});
