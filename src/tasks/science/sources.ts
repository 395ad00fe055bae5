import type { FitsColumn } from '../../fits/index.js';
import { pixelToSky } from '../../geom/index.js';
import { makeCatalog, type Catalog } from './catalog.js';
import type { Detection } from './detection.js';
import { maskBit, type Exposure } from './exposure.js';
import { fluxToMag, hasMaskNear, measureAdaptiveMoments, measureApertureFlux, measurePsfFlux } from './measurement.js';
import { median } from './stats.js';

/** One measured source (image pixel coordinates). */
export interface MeasuredSource {
  id: number;
  x: number;
  y: number;
  xx: number;
  yy: number;
  xy: number;
  psfFlux: number;
  psfFluxErr: number;
  apFlux: number;
  apFluxErr: number;
  significance: number;
  npix: number;
  centroidFlag: boolean;
  edgeFlag: boolean;
  saturatedFlag: boolean;
}

/** Sigma of a Gaussian from its FWHM and back. */
export const fwhmPerSigma = 2 * Math.sqrt(2 * Math.LN2);

/** Options of {@link measureDetections}. */
export interface MeasureOptions {
  psfSigmaPx: number;
  /** Aperture radius for `apFlux`, pixels. */
  apertureRadius: number;
  /** Recentroid with adaptive moments (false = forced at the given position). */
  recentroid?: boolean;
}

/** Measures centroid, adaptive shape, PSF and aperture flux of each position. */
export function measureAt(exposure: Exposure, positions: readonly { id: number; x: number; y: number; significance?: number; npix?: number }[], options: MeasureOptions): MeasuredSource[] {
  const edgeMargin = Math.ceil(2 * options.psfSigmaPx);
  return positions.map((p) => {
    const moments = measureAdaptiveMoments(exposure, p, options.psfSigmaPx);
    const useMoments = options.recentroid !== false && moments.ok;
    const at = useMoments ? { x: moments.x, y: moments.y } : { x: p.x, y: p.y };
    const psf = measurePsfFlux(exposure, at, options.psfSigmaPx);
    const ap = measureApertureFlux(exposure, at, options.apertureRadius);
    const edge = at.x < edgeMargin || at.y < edgeMargin || at.x > exposure.width - 1 - edgeMargin || at.y > exposure.height - 1 - edgeMargin;
    return {
      id: p.id, x: at.x, y: at.y, xx: moments.xx, yy: moments.yy, xy: moments.xy,
      psfFlux: psf.flux, psfFluxErr: psf.fluxErr, apFlux: ap.flux, apFluxErr: ap.fluxErr,
      significance: p.significance ?? Number.NaN, npix: p.npix ?? 0,
      centroidFlag: !moments.ok,
      edgeFlag: edge || hasMaskNear(exposure, at, edgeMargin, maskBit('NO_DATA')),
      saturatedFlag: hasMaskNear(exposure, at, 2, maskBit('SAT')),
    };
  });
}

/** Measures detections (recentroiding at their peaks). */
export function measureDetections(exposure: Exposure, detections: readonly Detection[], options: MeasureOptions): MeasuredSource[] {
  return measureAt(exposure, detections, { ...options, recentroid: true });
}

/**
 * PSF sigma from the adaptive sizes of bright, clean sources: finds the densest 10 % size window
 * (the stellar locus; galaxies are larger), then averages the sizes within 10 % of its median
 * weighted by significance squared, so the brightest stars dominate. Falls back to `guess` with
 * fewer than 3 candidates.
 */
export function estimatePsfSigma(sources: readonly MeasuredSource[], guess: number, minSignificance = 20): { sigma: number; count: number } {
  const candidates = sources
    .filter((s) => !s.centroidFlag && !s.edgeFlag && !s.saturatedFlag && s.significance >= minSignificance)
    .map((s) => ({ size: Math.sqrt((s.xx + s.yy) / 2), weight: s.significance * s.significance }))
    .filter((c) => Number.isFinite(c.size) && c.size > 0.3)
    .sort((a, b) => a.size - b.size);
  if (candidates.length < 3) return { sigma: guess, count: 0 };
  let bestStart = 0;
  let bestCount = 0;
  for (let i = 0; i < candidates.length; i++) {
    let j = i;
    while (j < candidates.length && candidates[j]!.size <= candidates[i]!.size * 1.1) j++;
    if (j - i > bestCount) {
      bestCount = j - i;
      bestStart = i;
    }
  }
  const centre = median(candidates.slice(bestStart, bestStart + bestCount).map((c) => c.size));
  const locus = candidates.filter((c) => Math.abs(c.size - centre) <= 0.1 * centre);
  const sw = locus.reduce((a, c) => a + c.weight, 0);
  return { sigma: locus.reduce((a, c) => a + c.weight * c.size, 0) / sw, count: locus.length };
}

/** Columns of the source catalogs tasks write (positions in parent pixels, fluxes in image units). */
export const sourceColumns: FitsColumn[] = [
  { name: 'id', format: 'K' },
  { name: 'x', format: 'D', unit: 'pixel' }, { name: 'y', format: 'D', unit: 'pixel' },
  { name: 'ra', format: 'D', unit: 'deg' }, { name: 'dec', format: 'D', unit: 'deg' },
  { name: 'xx', format: 'D', unit: 'pixel^2' }, { name: 'yy', format: 'D', unit: 'pixel^2' }, { name: 'xy', format: 'D', unit: 'pixel^2' },
  { name: 'flux', format: 'D', unit: 'count' }, { name: 'fluxErr', format: 'D', unit: 'count' },
  { name: 'apFlux', format: 'D', unit: 'count' }, { name: 'apFluxErr', format: 'D', unit: 'count' },
  { name: 'mag', format: 'D', unit: 'mag' }, { name: 'magErr', format: 'D', unit: 'mag' },
  { name: 'significance', format: 'D' }, { name: 'npix', format: 'J' },
  { name: 'flag_centroid', format: 'L' }, { name: 'flag_edge', format: 'L' }, { name: 'flag_saturated', format: 'L' },
];

/** A source catalog (`flux` = PSF flux) with sky positions from the exposure's WCS and magnitudes from its zero point. */
export function makeSourceCatalog(exposure: Exposure, sources: readonly MeasuredSource[], metadata: Catalog['metadata'] = {}): Catalog {
  const zp = exposure.zeroPoint ?? Number.NaN;
  const rows = sources.map((s) => {
    const sky = exposure.wcs === null ? { ra: Number.NaN, dec: Number.NaN } : pixelToSky(exposure.wcs, s);
    const { mag, magErr } = fluxToMag({ flux: s.psfFlux, fluxErr: s.psfFluxErr }, zp);
    return {
      id: s.id, x: s.x + exposure.xy0.x, y: s.y + exposure.xy0.y, ra: sky.ra, dec: sky.dec, xx: s.xx, yy: s.yy, xy: s.xy,
      flux: s.psfFlux, fluxErr: s.psfFluxErr, apFlux: s.apFlux, apFluxErr: s.apFluxErr, mag, magErr,
      significance: s.significance, npix: s.npix, flag_centroid: s.centroidFlag, flag_edge: s.edgeFlag, flag_saturated: s.saturatedFlag,
    };
  });
  return makeCatalog(sourceColumns, rows, metadata);
}

/**
 * Aperture correction: median ratio of aperture to PSF flux over bright, clean sources (PSF S/N
 * ≥ `minSnr`), so PSF fluxes become total fluxes whatever the error of the PSF model's width.
 * 1 when fewer than `minCount` (default 10) sources qualify: with fewer, aperture noise would
 * add more error than the PSF model's width takes away.
 */
export function computeApertureCorrection(sources: readonly MeasuredSource[], minSnr = 20, minCount = 10): { factor: number; count: number } {
  const ratios = sources
    .filter((s) => !s.centroidFlag && !s.edgeFlag && !s.saturatedFlag && s.psfFlux / s.psfFluxErr >= minSnr && s.apFlux > 0)
    .map((s) => s.apFlux / s.psfFlux);
  if (ratios.length < minCount) return { factor: 1, count: ratios.length };
  return { factor: median(ratios), count: ratios.length };
}

/** Multiplies PSF fluxes (and errors) by an aperture correction, in place. */
export function applyApertureCorrection(sources: MeasuredSource[], factor: number): void {
  for (const s of sources) {
    s.psfFlux *= factor;
    s.psfFluxErr *= factor;
  }
}
