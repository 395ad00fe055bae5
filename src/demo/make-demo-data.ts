import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFits, type FitsValue } from '../fits/index.js';
import { tanWcsToFitsCards } from '../geom/index.js';
import { findInstrument, type Instrument } from '../instrument/index.js';
import { planDemoData, type DemoExposure, type DemoOptions, type DemoPlan } from './plan-demo.js';
import { demoSignature, renderRaw } from './render-raw.js';

/** Options of {@link makeDemoData}: the output folder, the instrument (default DemoCam) and the plan options. */
export interface MakeDemoDataOptions extends DemoOptions {
  dir: string;
  instrument?: Instrument;
}

/** One written raw file. */
export interface DemoRawFile {
  path: string;
  exposure: number;
  detector: number;
  type: DemoExposure['type'];
  physicalFilter: string;
  band: string;
}

/** What {@link makeDemoData} wrote. */
export interface DemoData {
  instrument: string;
  rawFiles: DemoRawFile[];
  /** FITS binary table of the stars: id, ra, dec (deg), `<band>_mag` per band. */
  refcatPath: string;
  plan: DemoPlan;
}

const imageTypes = { bias: 'BIAS', flat: 'FLAT', science: 'OBJECT' } as const;

function rawHeader(instrument: Instrument, exposure: DemoExposure, detector: { id: number; name: string }): Record<string, FitsValue> {
  const header: Record<string, FitsValue> = {
    INSTRUME: instrument.name,
    TELESCOP: 'bps-ts demo telescope',
    EXPID: exposure.exposure,
    DETID: detector.id,
    DETNAME: detector.name,
    FILTER: exposure.physicalFilter,
    'DATE-OBS': exposure.start,
    EXPTIME: exposure.exposureTimeSec,
    IMAGETYP: imageTypes[exposure.type],
    OBSID: `${instrument.name}_${String(exposure.exposure).padStart(6, '0')}`,
    GROUPID: String(exposure.exposure),
    OBJECT: exposure.type === 'science' ? 'DEMO-FIELD' : exposure.type.toUpperCase(),
    BUNIT: 'adu',
    GAIN: demoSignature.gain,
    RDNOISE: demoSignature.readNoise,
  };
  if (exposure.pointing !== null) {
    header['RA'] = exposure.pointing.ra;
    header['DEC'] = exposure.pointing.dec;
    header['ROTPA'] = exposure.skyAngleDeg;
  }
  return header;
}

/**
 * Writes a synthetic DemoCam data set under `dir`: `raw/*.fits` (bias, flats per band, science
 * visits; one file per exposure and detector, uint16 stored as int16 + BZERO) and
 * `refcat/demo_refcat.fits`. Deterministic for a seed. Defaults: bands i and r, 4 visits per band,
 * 2 detectors, 2 biases and 2 flats per band (28 files of 256 x 256 pixels).
 */
export async function makeDemoData(options: MakeDemoDataOptions): Promise<DemoData> {
  const instrument = options.instrument ?? findInstrument('DemoCam');
  const plan = planDemoData(instrument, options);
  const rawDir = path.join(options.dir, 'raw');
  const refcatDir = path.join(options.dir, 'refcat');
  await mkdir(rawDir, { recursive: true });
  await mkdir(refcatDir, { recursive: true });
  const rawFiles: DemoRawFile[] = [];
  for (const exposure of plan.exposures) {
    for (const detectorId of plan.options.detectors) {
      const detector = instrument.detectors.find((d) => d.id === detectorId);
      if (detector === undefined) throw new RangeError(`instrument ${instrument.name} has no detector ${detectorId}`);
      const { pixels, wcs } = renderRaw({ instrument, detector, exposure, sources: plan.sources, seed: plan.options.seed });
      const header = { ...rawHeader(instrument, exposure, detector), ...(wcs === null ? {} : tanWcsToFitsCards(wcs)) };
      const file = path.join(rawDir, `${instrument.name}_${exposure.type}_${String(exposure.exposure).padStart(6, '0')}_det${String(detector.id).padStart(3, '0')}.fits`);
      await writeFits(file, [{ kind: 'image', header, image: { width: detector.width, height: detector.height, data: pixels, bitpix: 16, bzero: 32768 } }]);
      rawFiles.push({ path: file, exposure: exposure.exposure, detector: detector.id, type: exposure.type, physicalFilter: exposure.physicalFilter, band: exposure.band });
    }
  }
  const stars = plan.sources.filter((s) => s.kind === 'star');
  const refcatPath = path.join(refcatDir, 'demo_refcat.fits');
  const data: Record<string, number[]> = { id: stars.map((s) => s.id), ra: stars.map((s) => s.ra), dec: stars.map((s) => s.dec) };
  for (const band of plan.options.bands) data[`${band}_mag`] = stars.map((s) => s.mags[band]!);
  await writeFits(refcatPath, [{
    kind: 'bintable',
    extname: 'REFCAT',
    table: {
      columns: [
        { name: 'id', format: 'K' }, { name: 'ra', format: 'D', unit: 'deg' }, { name: 'dec', format: 'D', unit: 'deg' },
        ...plan.options.bands.map((band) => ({ name: `${band}_mag`, format: 'E' as const, unit: 'mag' })),
      ],
      data,
    },
  }]);
  return { instrument: instrument.name, rawFiles, refcatPath, plan };
}
