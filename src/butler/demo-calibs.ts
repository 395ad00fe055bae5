import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { demoSignature, flatPattern, makeDemoData, type DemoData, type MakeDemoDataOptions } from '../demo/index.js';
import { writeFits } from '../fits/index.js';
import type { Instrument } from '../instrument/index.js';
import { findInstrument } from '../instrument/index.js';

/** Dataset types of the demo master calibrations. */
export const demoCalibTypes = ['bias', 'flat'] as const;
export type DemoCalibType = (typeof demoCalibTypes)[number];

/** One written master calibration frame. */
export interface DemoCalibFile {
  path: string;
  datasetType: DemoCalibType;
  instrument: string;
  detector: number;
  /** Set for flats. */
  physicalFilter?: string;
}

/** What {@link makeDemoDataWithCalibs} wrote: the raws and refcat of `makeDemoData`, plus master calibrations. */
export interface DemoDataWithCalibs extends DemoData {
  calibs: DemoCalibFile[];
  /** Ingest tables (CSV for `butler-ts ingest-files`), one per calibration dataset type. */
  calibTables: Record<DemoCalibType, string>;
}

/** Folder (under the demo data folder) of the master calibrations and their ingest tables. */
export const DEMO_CALIB_DIR = 'calib';

/**
 * The demo camera's bias structure: level per detector plus a column ripple. Mirrors the model of
 * `renderRaw` in src/demo, which does not export the ripple.
 */
function masterBias(detector: { id: number; width: number; height: number }): Float32Array {
  const out = new Float32Array(detector.width * detector.height);
  const level = demoSignature.biasLevel(detector.id);
  for (let i = 0; i < out.length; i++) out[i] = level + 3 * Math.sin((2 * Math.PI * (i % detector.width)) / 64);
  return out;
}

/**
 * Writes noiseless master calibrations of the demo camera under `dir/calib`: a master bias per
 * detector and a master flat per detector and physical filter (float32 FITS), and the ingest
 * tables `bias.csv` (file,instrument,detector) and `flat.csv` (file,instrument,detector,physical_filter).
 */
export async function writeDemoCalibs(options: { dir: string; instrument: Instrument; detectors: readonly number[]; physicalFilters: readonly string[] }): Promise<Pick<DemoDataWithCalibs, 'calibs' | 'calibTables'>> {
  const { instrument } = options;
  const dir = join(options.dir, DEMO_CALIB_DIR);
  await mkdir(dir, { recursive: true });
  const calibs: DemoCalibFile[] = [];
  for (const id of options.detectors) {
    const detector = instrument.detectors.find((d) => d.id === id);
    if (detector === undefined) throw new RangeError(`instrument ${instrument.name} has no detector ${id}`);
    const header = { INSTRUME: instrument.name, DETID: id, DETNAME: detector.name, BUNIT: 'adu' };
    const biasPath = join(dir, `bias_${instrument.name}_det${String(id).padStart(3, '0')}.fits`);
    await writeFits(biasPath, [{ kind: 'image', header: { ...header, OBSTYPE: 'bias' }, image: { width: detector.width, height: detector.height, data: masterBias(detector), bitpix: -32 } }]);
    calibs.push({ path: biasPath, datasetType: 'bias', instrument: instrument.name, detector: id });
    for (const physicalFilter of options.physicalFilters) {
      const band = instrument.filters.find((f) => f.name === physicalFilter)?.band ?? physicalFilter;
      const flatPath = join(dir, `flat_${instrument.name}_${physicalFilter}_det${String(id).padStart(3, '0')}.fits`);
      const data = flatPattern(instrument, detector, band);
      await writeFits(flatPath, [{ kind: 'image', header: { ...header, OBSTYPE: 'flat', FILTER: physicalFilter }, image: { width: detector.width, height: detector.height, data, bitpix: -32 } }]);
      calibs.push({ path: flatPath, datasetType: 'flat', instrument: instrument.name, detector: id, physicalFilter });
    }
  }
  const calibTables = { bias: join(dir, 'bias.csv'), flat: join(dir, 'flat.csv') };
  const biases = calibs.filter((c) => c.datasetType === 'bias').map((c) => `${basename(c.path)},${c.instrument},${c.detector}`);
  const flats = calibs.filter((c) => c.datasetType === 'flat').map((c) => `${basename(c.path)},${c.instrument},${c.detector},${c.physicalFilter}`);
  await writeFile(calibTables.bias, ['file,instrument,detector', ...biases].join('\n') + '\n');
  await writeFile(calibTables.flat, ['file,instrument,detector,physical_filter', ...flats].join('\n') + '\n');
  return { calibs, calibTables };
}

/**
 * `makeDemoData` (raws and reference catalogue) plus {@link writeDemoCalibs} for the same
 * detectors and the physical filters of the planned flats.
 */
export async function makeDemoDataWithCalibs(options: MakeDemoDataOptions): Promise<DemoDataWithCalibs> {
  const instrument = options.instrument ?? findInstrument('DemoCam');
  const data = await makeDemoData({ ...options, instrument });
  const physicalFilters = [...new Set(data.plan.exposures.filter((e) => e.type !== 'bias').map((e) => e.physicalFilter))];
  const calibs = await writeDemoCalibs({ dir: options.dir, instrument, detectors: data.plan.options.detectors, physicalFilters });
  return { ...data, ...calibs };
}
