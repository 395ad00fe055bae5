import { separationDeg, skyToPixel, pixelToSky, type TanWcs } from '../../geom/index.js';
import { catalogLength, getNumberColumn, hasColumn, type Catalog } from './catalog.js';
import { median, robustSigma } from './stats.js';

/** A reference star: position (deg) and magnitude in the band of interest (NaN when unknown). */
export interface RefStar {
  id: number;
  ra: number;
  dec: number;
  mag: number;
}

/**
 * Reference stars from reference catalogs: `ra`/`dec` in degrees (demo) or `coord_ra`/`coord_dec`
 * in radians (reference SimpleCatalog); magnitude from `<band>_mag`, or from `<band>_flux` in nJy.
 */
export function readReferenceStars(catalogs: readonly Catalog[], band: string | undefined): RefStar[] {
  const out: RefStar[] = [];
  for (const catalog of catalogs) {
    const radians = !hasColumn(catalog, 'ra') && hasColumn(catalog, 'coord_ra');
    const ra = getNumberColumn(catalog, radians ? 'coord_ra' : 'ra');
    const dec = getNumberColumn(catalog, radians ? 'coord_dec' : 'dec');
    const ids = hasColumn(catalog, 'id') ? getNumberColumn(catalog, 'id') : undefined;
    const mags = band !== undefined && hasColumn(catalog, `${band}_mag`) ? getNumberColumn(catalog, `${band}_mag`) : undefined;
    const fluxes = band !== undefined && mags === undefined && hasColumn(catalog, `${band}_flux`) ? getNumberColumn(catalog, `${band}_flux`) : undefined;
    const scale = radians ? 180 / Math.PI : 1;
    for (let i = 0; i < catalogLength(catalog); i++) {
      const flux = fluxes?.[i];
      const mag = mags?.[i] ?? (flux !== undefined && flux > 0 ? 31.4 - 2.5 * Math.log10(flux) : Number.NaN);
      out.push({ id: ids?.[i] ?? out.length + 1, ra: ra[i]! * scale, dec: dec[i]! * scale, mag });
    }
  }
  return out;
}

/** A matched pair: a source (image pixels) and a reference star. */
export interface Match<S extends { x: number; y: number }> {
  source: S;
  ref: RefStar;
  /** Separation under the WCS used for matching, arcsec. */
  distanceArcsec: number;
}

/** Pixel scale of a WCS, arcsec per pixel. */
export function pixelScaleArcsec(wcs: TanWcs): number {
  return Math.sqrt(Math.abs(wcs.cd[0][0] * wcs.cd[1][1] - wcs.cd[0][1] * wcs.cd[1][0])) * 3600;
}

/** One-to-one nearest matches within `radiusArcsec` (closest pairs first). */
export function matchToReference<S extends { x: number; y: number }>(sources: readonly S[], refs: readonly RefStar[], options: { wcs: TanWcs; radiusArcsec: number }): Match<S>[] {
  const radiusPx = options.radiusArcsec / pixelScaleArcsec(options.wcs);
  const candidates: { s: number; r: number; d: number }[] = [];
  refs.forEach((ref, r) => {
    let p;
    try {
      p = skyToPixel(options.wcs, ref);
    } catch {
      return;
    }
    sources.forEach((source, s) => {
      const d = Math.hypot(source.x - p.x, source.y - p.y);
      if (d <= radiusPx) candidates.push({ s, r, d });
    });
  });
  candidates.sort((a, b) => a.d - b.d);
  const usedS = new Set<number>();
  const usedR = new Set<number>();
  const matches: Match<S>[] = [];
  for (const c of candidates) {
    if (usedS.has(c.s) || usedR.has(c.r)) continue;
    usedS.add(c.s);
    usedR.add(c.r);
    matches.push({ source: sources[c.s]!, ref: refs[c.r]!, distanceArcsec: c.d * pixelScaleArcsec(options.wcs) });
  }
  return matches;
}

function solve3(a: number[][], b: number[]): number[] | undefined {
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < 3; c++) {
    let p = c;
    for (let r = c + 1; r < 3; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    if (Math.abs(m[p]![c]!) < 1e-12) return undefined;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = 0; r < 3; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k < 4; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return [0, 1, 2].map((i) => m[i]![3]! / m[i]![i]!);
}

/** Result of {@link fitWcs}. */
export interface WcsFit {
  wcs: TanWcs;
  /** RMS of source−reference separations under the fitted WCS, arcsec. */
  rmsArcsec: number;
  count: number;
  /** Separation of each match under the fitted WCS, arcsec (same order as the matches). */
  residualsArcsec: number[];
}

/**
 * Refines a TAN WCS from matches: fits measured = M · predicted + b in pixels (affine with 6 or
 * more matches, a shift with fewer) and folds it into CD and CRPIX, which is exact for TAN.
 */
export function fitWcs<S extends { x: number; y: number }>(wcs: TanWcs, matches: readonly Match<S>[]): WcsFit {
  const pred = matches.map((m) => skyToPixel(wcs, m.ref));
  const meas = matches.map((m) => m.source);
  let M = [[1, 0], [0, 1]];
  let b = [0, 0];
  if (matches.length >= 6) {
    const ata = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
    const atx = [0, 0, 0];
    const aty = [0, 0, 0];
    pred.forEach((p, i) => {
      const row = [p.x, p.y, 1];
      for (let r = 0; r < 3; r++) {
        for (let c = 0; c < 3; c++) ata[r]![c]! += row[r]! * row[c]!;
        atx[r]! += row[r]! * meas[i]!.x;
        aty[r]! += row[r]! * meas[i]!.y;
      }
    });
    const px = solve3(ata, atx);
    const py = solve3(ata, aty);
    if (px !== undefined && py !== undefined) {
      M = [[px[0]!, px[1]!], [py[0]!, py[1]!]];
      b = [px[2]!, py[2]!];
    }
  } else if (matches.length > 0) {
    b = [median(meas.map((s, i) => s.x - pred[i]!.x)), median(meas.map((s, i) => s.y - pred[i]!.y))];
  }
  const det = M[0]![0]! * M[1]![1]! - M[0]![1]! * M[1]![0]!;
  const inv = [[M[1]![1]! / det, -M[0]![1]! / det], [-M[1]![0]! / det, M[0]![0]! / det]];
  const cd = wcs.cd;
  const newCd: TanWcs['cd'] = [
    [cd[0][0] * inv[0]![0]! + cd[0][1] * inv[1]![0]!, cd[0][0] * inv[0]![1]! + cd[0][1] * inv[1]![1]!],
    [cd[1][0] * inv[0]![0]! + cd[1][1] * inv[1]![0]!, cd[1][0] * inv[0]![1]! + cd[1][1] * inv[1]![1]!],
  ];
  const crpix = { x: M[0]![0]! * wcs.crpix.x + M[0]![1]! * wcs.crpix.y + b[0]!, y: M[1]![0]! * wcs.crpix.x + M[1]![1]! * wcs.crpix.y + b[1]! };
  const fitted: TanWcs = { crval: { ...wcs.crval }, crpix, cd: newCd };
  const residuals = matches.map((m) => separationDeg(pixelToSky(fitted, m.source), m.ref) * 3600);
  const rms = residuals.length === 0 ? Number.NaN : Math.sqrt(residuals.reduce((a, r) => a + r * r, 0) / residuals.length);
  return { wcs: fitted, rmsArcsec: rms, count: matches.length, residualsArcsec: residuals };
}

/**
 * Photometric zero point from matched stars (S/N ≥ `minSnr`): inverse-variance weighted mean of
 * ref mag + 2.5 log10(flux), iteratively clipped at 3 sigma (flux error and 0.01 mag floor).
 */
export function fitZeroPoint(pairs: readonly { flux: number; fluxErr: number; refMag: number }[], minSnr: number): { zeroPoint: number; error: number; count: number } {
  let points = pairs
    .filter((p) => p.flux > 0 && p.flux / p.fluxErr >= minSnr && Number.isFinite(p.refMag))
    .map((p) => ({ zp: p.refMag + 2.5 * Math.log10(p.flux), sigma: Math.hypot((2.5 / Math.LN10) * (p.fluxErr / p.flux), 0.01) }));
  if (points.length === 0) return { zeroPoint: Number.NaN, error: Number.NaN, count: 0 };
  let zp = median(points.map((p) => p.zp));
  let error = Number.NaN;
  for (let iter = 0; iter < 5; iter++) {
    const kept = points.filter((p) => Math.abs(p.zp - zp) <= 3 * p.sigma + 3 * robustSigma(points.map((q) => q.zp)) * (points.length < 5 ? 1 : 0));
    if (kept.length === 0) break;
    points = kept;
    const w = points.map((p) => 1 / (p.sigma * p.sigma));
    const sw = w.reduce((a, b) => a + b, 0);
    zp = points.reduce((a, p, i) => a + w[i]! * p.zp, 0) / sw;
    error = 1 / Math.sqrt(sw);
  }
  return { zeroPoint: zp, error, count: points.length };
}
