import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSignature, makeDemoData, type DemoData, type DemoSource } from '../../src/demo/index.js';
import { separationDeg, skyToPixel } from '../../src/geom/index.js';
import { buildSkymap, findSkymapConfig } from '../../src/skymap/index.js';
import {
  catalogRows, getNumberColumn, maskBit, readDataset, robustSigma, type Catalog, type DataId, type Exposure,
} from '../../src/tasks/index.js';
import { asInput, runDemoTask } from './chain-support.js';
import { buildMasters } from './demo-masters.js';

const cls = {
  isr: 'lsst.ip.isr.IsrTask',
  processCcd: 'lsst.pipe.tasks.processCcd.ProcessCcdTask',
  characterize: 'lsst.pipe.tasks.characterizeImage.CharacterizeImageTask',
  calibrate: 'lsst.pipe.tasks.calibrate.CalibrateTask',
  warp: 'lsst.pipe.tasks.makeWarp.MakeWarpTask',
  coadd: 'lsst.pipe.tasks.assembleCoadd.AssembleCoaddTask',
  detect: 'lsst.pipe.tasks.multiBand.DetectCoaddSourcesTask',
  mergeDet: 'lsst.pipe.tasks.mergeDetections.MergeDetectionsTask',
  measure: 'lsst.pipe.tasks.multiBand.MeasureMergedCoaddSourcesTask',
  mergeMeas: 'lsst.pipe.tasks.mergeMeasurements.MergeMeasurementsTask',
  forced: 'lsst.meas.base.forcedPhotCoadd.ForcedPhotCoaddTask',
} as const;

let dir: string;
let data: DemoData;
let refcat: Catalog;
let bias: Map<number, Exposure>;
let flat: Map<string, Exposure>;

interface SingleEpoch { postIsr: Exposure; icExp: Exposure; calexp: Exposure; src: Catalog; matches: Catalog; dataId: DataId }
const singleEpoch = new Map<string, SingleEpoch>();

async function processCcd(exposure: number, detector: number, icExpEdit?: (e: Exposure) => void): Promise<SingleEpoch> {
  const raw = data.rawFiles.find((f) => f.type === 'science' && f.exposure === exposure && f.detector === detector)!;
  const common = { instrument: 'DemoCam', detector, band: raw.band, physical_filter: raw.physicalFilter };
  const rawId = { ...common, exposure };
  const isr = await runDemoTask(cls.isr, {
    dataId: rawId,
    inputs: {
      ccdExposure: asInput(await readDataset('Exposure', raw.path), rawId, 'raw', 'Exposure'),
      bias: asInput(bias.get(detector), { instrument: 'DemoCam', detector }, 'bias', 'ExposureF'),
      flat: asInput(flat.get(`${detector}:${raw.band}`), { instrument: 'DemoCam', detector, physical_filter: raw.physicalFilter }, 'flat', 'ExposureF'),
    },
  });
  const visitId = { ...common, visit: exposure };
  const ch = await runDemoTask(cls.characterize, { dataId: visitId, inputs: { exposure: asInput(isr['outputExposure'], rawId, 'postISRCCD') } });
  const icExp = ch['characterized'] as Exposure;
  icExpEdit?.(icExp);
  const cal = await runDemoTask(cls.calibrate, {
    dataId: visitId,
    inputs: {
      exposure: asInput(icExp, visitId), background: asInput(ch['backgroundModel'], visitId), icSourceCat: asInput(ch['sourceCat'], visitId),
      astromRefCat: [asInput(refcat, { htm7: 1 }, 'gaia_dr3_20230707', 'SimpleCatalog')],
      photoRefCat: [asInput(refcat, { htm7: 1 }, 'ps1_pv3_3pi_20170110', 'SimpleCatalog')],
    },
  });
  return { postIsr: isr['outputExposure'] as Exposure, icExp, calexp: cal['outputExposure'] as Exposure, src: cal['outputCat'] as Catalog, matches: cal['matches'] as Catalog, dataId: visitId };
}

function expectedStarSnr(source: DemoSource, band: string): number {
  const flux = 10 ** (-0.4 * (source.mags[band]! - demoSignature.zeroPoint30s));
  const sigma = demoSignature.seeingFwhmArcsec / 2.3548 / 0.2;
  const sky = (demoSignature.skyPer30s[band] ?? 0) + demoSignature.readNoise ** 2;
  return flux / Math.sqrt(flux + sky * 4 * Math.PI * sigma * sigma);
}

const skymap = buildSkymap(findSkymapConfig('demo'));
const patchId = { skymap: 'demo', tract: 0, patch: 0 };
const coadd = new Map<string, { coadd: Exposure; calexp: Exposure; det: Catalog; meas?: Catalog; forced?: Catalog }>();
let mergeDet: Catalog;
let ref: Catalog;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tasks-chain-'));
  data = await makeDemoData({ dir, starCount: 300, galaxyCount: 40 });
  refcat = (await readDataset('SimpleCatalog', data.refcatPath)) as Catalog;
  ({ bias, flat } = await buildMasters(data));
  const science = data.rawFiles.filter((f) => f.type === 'science');
  for (const f of science) singleEpoch.set(`${f.exposure}:${f.detector}`, await processCcd(f.exposure, f.detector));
  const skyMapInput = asInput(skymap, { skymap: 'demo' }, 'skyMap', 'SkyMap');
  for (const band of data.plan.options.bands) {
    const visits = [...new Set(science.filter((f) => f.band === band).map((f) => f.exposure))];
    const warps = [];
    for (const visit of visits) {
      const calexps = [...singleEpoch.values()].filter((s) => s.dataId['visit'] === visit);
      const warpId = { ...patchId, instrument: 'DemoCam', visit, band };
      const out = await runDemoTask(cls.warp, { dataId: warpId, inputs: { calExpList: calexps.map((c) => asInput(c.calexp, c.dataId, 'calexp', 'ExposureF')), skyMap: skyMapInput } });
      warps.push(asInput(out['direct'], warpId, 'deepCoadd_directWarp', 'ExposureF'));
    }
    const bandId = { ...patchId, band };
    const stacked = await runDemoTask(cls.coadd, { dataId: bandId, inputs: { inputWarps: warps, skyMap: skyMapInput } });
    const detected = await runDemoTask(cls.detect, { dataId: bandId, inputs: { exposure: asInput(stacked['coaddExposure'], bandId) } });
    coadd.set(band, { coadd: stacked['coaddExposure'] as Exposure, calexp: detected['outputExposure'] as Exposure, det: detected['outputSources'] as Catalog });
  }
  const skyMapInputs = { skyMap: skyMapInput };
  const bands = [...coadd.keys()];
  mergeDet = (await runDemoTask(cls.mergeDet, { dataId: patchId, inputs: { ...skyMapInputs, catalogs: bands.map((b) => asInput(coadd.get(b)!.det, { ...patchId, band: b })) } }))['outputCatalog'] as Catalog;
  for (const band of bands) {
    const bandId = { ...patchId, band };
    const c = coadd.get(band)!;
    const measured = await runDemoTask(cls.measure, {
      dataId: bandId,
      inputs: { exposure: asInput(c.calexp, bandId), background: asInput(undefined, bandId), sourceCatalog: asInput(mergeDet, patchId), ...skyMapInputs },
    });
    c.meas = measured['outputSources'] as Catalog;
  }
  ref = (await runDemoTask(cls.mergeMeas, { dataId: patchId, inputs: { catalogs: bands.map((b) => asInput(coadd.get(b)!.meas, { ...patchId, band: b })) } }))['mergedCatalog'] as Catalog;
  for (const band of bands) {
    const bandId = { ...patchId, band };
    const forced = await runDemoTask(cls.forced, { dataId: bandId, inputs: { exposure: asInput(coadd.get(band)!.calexp, bandId), refCat: asInput(ref, patchId) } });
    coadd.get(band)!.forced = forced['measCat'] as Catalog;
  }
}, 300_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('single-epoch processing of one visit-detector (isr, characterize, calibrate)', () => {
  it('removes bias and flat: the sky level in electrons matches the simulated sky', () => {
    const { postIsr } = singleEpoch.get('100:0')!;
    const sky = demoSignature.skyPer30s['i']!;
    expect(Math.abs(robustSigma(postIsr.image) - Math.sqrt(sky + 16))).toBeLessThan(0.15 * Math.sqrt(sky));
    const sorted = Array.from(postIsr.image).sort((a, b) => a - b);
    expect(Math.abs(sorted[sorted.length >> 1]! - sky)).toBeLessThan(0.05 * sky);
    expect(postIsr.variance[1000]).toBeGreaterThan(sky * 0.8);
  });

  it('recovers at least 80% of the bright injected stars in the frames, with few spurious detections', () => {
    let bright = 0;
    let found = 0;
    let spurious = 0;
    let detected = 0;
    for (const { src, postIsr, dataId } of singleEpoch.values()) {
      const rows = catalogRows(src);
      const inFrame = (s: DemoSource) => {
        const p = skyToPixel(postIsr.wcs!, s);
        return p.x > 5 && p.y > 5 && p.x < postIsr.width - 6 && p.y < postIsr.height - 6;
      };
      const stars = data.plan.sources.filter((s) => s.kind === 'star' && inFrame(s) && expectedStarSnr(s, String(dataId['band'])) > 10);
      bright += stars.length;
      found += stars.filter((s) => rows.some((r) => separationDeg(s, { ra: r['ra'] as number, dec: r['dec'] as number }) * 3600 < 0.5)).length;
      detected += rows.length;
      spurious += rows.filter((r) => !data.plan.sources.some((s) => separationDeg(s, { ra: r['ra'] as number, dec: r['dec'] as number }) * 3600 < 1.5)).length;
    }
    expect(bright).toBeGreaterThanOrEqual(100);
    expect(found / bright).toBeGreaterThanOrEqual(0.8);
    expect(spurious).toBeLessThanOrEqual(0.05 * detected);
  });

  it('measures the PSF FWHM of the simulated seeing', () => {
    const { calexp } = singleEpoch.get('100:0')!;
    expect(calexp.psfFwhmPx! * 0.2).toBeCloseTo(demoSignature.seeingFwhmArcsec, 1);
  });

  it('fits an astrometric solution with residuals below 0.5 arcsec', () => {
    for (const s of singleEpoch.values()) {
      const distances = getNumberColumn(s.matches, 'distance');
      expect(distances.length).toBeGreaterThanOrEqual(3);
      expect(Number(s.calexp.metadata['ASTRMS'])).toBeLessThan(0.5);
    }
  });

  it('repairs a WCS that is off by a few pixels', async () => {
    const shifted = await processCcd(101, 1, (e) => {
      e.wcs = { ...e.wcs!, crpix: { x: e.wcs!.crpix.x + 2.5, y: e.wcs!.crpix.y - 1.5 } };
    });
    const reference = singleEpoch.get('101:1')!.calexp.wcs!;
    expect(Number(shifted.calexp.metadata['ASTRMS'])).toBeLessThan(0.5);
    expect(Math.abs(shifted.calexp.wcs!.crpix.x - reference.crpix.x)).toBeLessThan(0.3);
    expect(Math.abs(shifted.calexp.wcs!.crpix.y - reference.crpix.y)).toBeLessThan(0.3);
  });

  it('finds the photometric zero point within 0.05 mag of the simulated one', () => {
    for (const s of singleEpoch.values()) expect(Math.abs(s.calexp.zeroPoint! - demoSignature.zeroPoint30s)).toBeLessThan(0.05);
  });
});

describe('single-frame processing in one quantum (ProcessCcdTask, as in DRP-demo.yaml)', () => {
  it('gives the calexp and src of the isr + characterize + calibrate chain', async () => {
    const raw = data.rawFiles.find((f) => f.type === 'science' && f.exposure === 102 && f.detector === 1)!;
    const dataId = { instrument: 'DemoCam', visit: 102, detector: 1, band: raw.band, physical_filter: raw.physicalFilter };
    const out = await runDemoTask(cls.processCcd, {
      dataId,
      inputs: {
        ccdExposure: asInput(await readDataset('Exposure', raw.path), { ...dataId, exposure: 102 }, 'raw', 'Exposure'),
        bias: asInput(bias.get(1), { instrument: 'DemoCam', detector: 1 }, 'bias', 'ExposureF'),
        flat: asInput(flat.get(`1:${raw.band}`), { instrument: 'DemoCam', detector: 1, physical_filter: raw.physicalFilter }, 'flat', 'ExposureF'),
        refCat: asInput(refcat, {}, 'ref_cat', 'SourceCatalog'),
      },
    });
    const calexp = out['outputExposure'] as Exposure;
    const split = singleEpoch.get('102:1')!;
    expect(calexp.zeroPoint!).toBeCloseTo(split.calexp.zeroPoint!, 3);
    expect(Number(calexp.metadata['ASTRMS'])).toBeLessThan(0.5);
    expect(getNumberColumn(out['outputCat'] as Catalog, 'id').length).toBe(getNumberColumn(split.src, 'id').length);
  });
});

describe('coadd processing of one patch (warps, coadds, multiband)', () => {
  it('lowers the noise by about sqrt(N) relative to a single epoch', () => {
    const c = coadd.get('i')!;
    const noise = (e: Exposure, keep: (k: number) => boolean) => {
      const values: number[] = [];
      for (let k = 0; k < e.image.length; k++) if (keep(k) && (e.mask[k]! & maskBit('DETECTED')) === 0 && Number.isFinite(e.image[k]!)) values.push(e.image[k]!);
      return robustSigma(values);
    };
    const single = singleEpoch.get('100:0')!.calexp;
    const singleNoise = noise(single, () => true) * 10 ** (0.4 * (27 - single.zeroPoint!));
    const nInputs = 4;
    // Pixels covered by every visit: their variance is about a quarter of a single warp's.
    const full = (k: number) => c.coadd.variance[k]! > 0 && c.coadd.variance[k]! < 0.4 * singleNoise ** 2;
    const coaddNoise = noise(c.calexp, full);
    expect(singleNoise / coaddNoise).toBeGreaterThan(0.8 * Math.sqrt(nInputs));
    expect(singleNoise / coaddNoise).toBeLessThan(1.25 * Math.sqrt(nInputs));
  });

  it('detects sources on each band coadd and merges them into one object list', () => {
    for (const c of coadd.values()) expect(getNumberColumn(c.det, 'id').length).toBeGreaterThan(10);
    const merged = catalogRows(mergeDet);
    const perBand = [...coadd.values()].map((c) => getNumberColumn(c.det, 'id').length);
    expect(merged.length).toBeGreaterThanOrEqual(Math.max(...perBand));
    expect(merged.length).toBeLessThanOrEqual(perBand.reduce((a, b) => a + b, 0));
    expect(merged.filter((r) => r['merge_peak_i'] === true && r['merge_peak_r'] === true).length).toBeGreaterThan(0.5 * Math.min(...perBand));
  });

  it('measures and force-photometers the same objects in every band', () => {
    const ids = getNumberColumn(ref, 'id');
    expect(ids.length).toBe(catalogRows(mergeDet).length);
    for (const c of coadd.values()) {
      expect(getNumberColumn(c.meas!, 'id')).toEqual(ids);
      expect(getNumberColumn(c.forced!, 'id')).toEqual(ids);
    }
  });

  it('gives forced coadd magnitudes of bright stars that match the reference catalog', () => {
    for (const [band, c] of coadd) {
      const rows = catalogRows(c.forced!);
      const offsets = data.plan.sources.filter((s) => s.kind === 'star' && s.mags[band]! < 20.5).flatMap((s) => {
        const row = rows.find((r) => separationDeg(s, { ra: r['ra'] as number, dec: r['dec'] as number }) * 3600 < 0.5);
        return row === undefined || !Number.isFinite(row['mag'] as number) ? [] : [(row['mag'] as number) - s.mags[band]!];
      });
      expect(offsets.length).toBeGreaterThanOrEqual(3);
      const sorted = offsets.sort((a, b) => a - b);
      expect(Math.abs(sorted[sorted.length >> 1]!)).toBeLessThan(0.05);
    }
  });
});
