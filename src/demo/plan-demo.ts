import { degToRad, type SkyPoint } from '../geom/index.js';
import type { Instrument } from '../instrument/index.js';
import { createRandom } from './random.js';

/** Options of the demo data set; every field has a default shaped like the seeds' HSC test data. */
export interface DemoOptions {
  /** Seed of every random draw (default 1). */
  seed?: number;
  /** Bands observed, each through the instrument's filter for that band (default ['i', 'r']). */
  bands?: string[];
  visitsPerBand?: number;
  /** Detector ids per exposure (default: all detectors of the instrument). */
  detectors?: number[];
  biasCount?: number;
  flatsPerBand?: number;
  /** Field centre (default RA 150, Dec 2, the centre of the demo skymap's tract). */
  center?: SkyPoint;
  /** Half-size of the dither pattern, arcsec (default 2). */
  ditherArcsec?: number;
  exposureTimeSec?: number;
  /** Start of the first exposure (default 2024-03-15T10:00:00Z). */
  startTime?: string;
  starCount?: number;
  galaxyCount?: number;
}

/** Kinds of demo exposures. */
export const demoExposureTypes = ['bias', 'flat', 'science'] as const;
export type DemoExposureType = (typeof demoExposureTypes)[number];

/** One planned exposure (all of its detectors share it). */
export interface DemoExposure {
  exposure: number;
  type: DemoExposureType;
  physicalFilter: string;
  band: string;
  start: string;
  exposureTimeSec: number;
  /** Pointing for science exposures, null for calibrations. */
  pointing: SkyPoint | null;
  skyAngleDeg: number;
}

/** A catalogue source: a star (point source) or a galaxy (exponential profile). */
export interface DemoSource {
  id: number;
  ra: number;
  dec: number;
  /** Magnitude per band (AB-like, zero point 27 for the default 30 s exposure). */
  mags: Record<string, number>;
  kind: 'star' | 'galaxy';
  /** Galaxy scale length (arcsec), axis ratio and position angle; 0/1/0 for stars. */
  sizeArcsec: number;
  axisRatio: number;
  angleDeg: number;
}

/** The complete plan: exposures and sources, resolved defaults included. */
export interface DemoPlan {
  options: Required<DemoOptions>;
  exposures: DemoExposure[];
  sources: DemoSource[];
}

const defaults: Required<DemoOptions> = {
  seed: 1, bands: ['i', 'r'], visitsPerBand: 4, detectors: [], biasCount: 2, flatsPerBand: 2, center: { ra: 150, dec: 2 },
  ditherArcsec: 2, exposureTimeSec: 30, startTime: '2024-03-15T10:00:00Z', starCount: 300, galaxyCount: 40,
};

/** Fills defaults and plans every exposure and source; pure and deterministic for a seed. */
export function planDemoData(instrument: Instrument, options: DemoOptions = {}): DemoPlan {
  const opts: Required<DemoOptions> = { ...defaults, ...options, detectors: options.detectors ?? instrument.detectors.map((d) => d.id) };
  const filterOf = (band: string) => {
    const filter = instrument.filters.find((f) => f.band === band);
    if (filter === undefined) {
      throw new RangeError(`instrument ${instrument.name} has no filter for band '${band}' (bands: ${[...new Set(instrument.filters.map((f) => f.band))].join(', ')})`);
    }
    return filter.name;
  };
  const emptyFilter = instrument.filters.find((f) => f.band === 'white')?.name ?? filterOf(opts.bands[0]!);
  const t0 = Date.parse(opts.startTime);
  const exposures: DemoExposure[] = [];
  const add = (e: Omit<DemoExposure, 'start'>) => exposures.push({ ...e, start: new Date(t0 + exposures.length * 60_000).toISOString() });
  for (let i = 0; i < opts.biasCount; i++) {
    add({ exposure: 10 + i, type: 'bias', physicalFilter: emptyFilter, band: 'white', exposureTimeSec: 0, pointing: null, skyAngleDeg: 0 });
  }
  opts.bands.forEach((band, b) => {
    for (let i = 0; i < opts.flatsPerBand; i++) {
      add({ exposure: 20 + 10 * b + i, type: 'flat', physicalFilter: filterOf(band), band, exposureTimeSec: 5, pointing: null, skyAngleDeg: 0 });
    }
  });
  const dithers = [[-1, -1], [1, -1], [-1, 1], [1, 1], [0, 0]] as const;
  opts.bands.forEach((band, b) => {
    for (let i = 0; i < opts.visitsPerBand; i++) {
      const [dx, dy] = dithers[i % dithers.length]!;
      const step = opts.ditherArcsec / 3600;
      const pointing = {
        ra: opts.center.ra + (dx * step) / Math.cos(opts.center.dec * degToRad),
        dec: opts.center.dec + dy * step,
      };
      add({ exposure: 100 * (b + 1) + i, type: 'science', physicalFilter: filterOf(band), band, exposureTimeSec: opts.exposureTimeSec, pointing, skyAngleDeg: 0 });
    }
  });
  return { options: opts, exposures, sources: makeSources(opts) };
}

function makeSources(opts: Required<DemoOptions>): DemoSource[] {
  const random = createRandom(opts.seed * 7919 + 17);
  const halfDeg = 0.018;
  const sources: DemoSource[] = [];
  const total = opts.starCount + opts.galaxyCount;
  for (let id = 1; id <= total; id++) {
    const kind = id <= opts.starCount ? 'star' : 'galaxy';
    const ra = opts.center.ra + ((2 * random.uniform() - 1) * halfDeg) / Math.cos(opts.center.dec * degToRad);
    const dec = opts.center.dec + (2 * random.uniform() - 1) * halfDeg;
    const base = kind === 'star' ? 17 + 6 * random.uniform() : 19 + 4 * random.uniform();
    const color = kind === 'star' ? 0.2 + 0.8 * random.uniform() : 0.3 + 0.5 * random.uniform();
    const mags: Record<string, number> = {};
    const order = ['g', 'r', 'i', 'z', 'y'];
    for (const band of opts.bands) mags[band] = base + color * (2 - Math.max(0, order.indexOf(band))) / 2;
    sources.push({
      id, ra, dec, mags, kind,
      sizeArcsec: kind === 'star' ? 0 : 0.4 + 1.2 * random.uniform(),
      axisRatio: kind === 'star' ? 1 : 0.4 + 0.6 * random.uniform(),
      angleDeg: kind === 'star' ? 0 : 180 * random.uniform(),
    });
  }
  return sources;
}
