import type { FitsColumn } from '../../fits/index.js';
import { pixelToSky } from '../../geom/index.js';
import { fitWcs, fitZeroPoint, matchToReference, readReferenceStars, type Match, type RefStar, type WcsFit } from '../science/astrometry.js';
import { isBackgroundModel } from '../science/background.js';
import { isCatalog, makeCatalog, type Catalog } from '../science/catalog.js';
import { detectSources } from '../science/detection.js';
import { cloneExposure, isExposure, maskBit, type Exposure } from '../science/exposure.js';
import { applyApertureCorrection, computeApertureCorrection, fwhmPerSigma, makeSourceCatalog, measureDetections, sourceColumns, type MeasuredSource } from '../science/sources.js';
import { median, robustSigma } from '../science/stats.js';
import { TaskFailedError } from '../task-errors.js';
import { configBoolean, configNumber, getInput, getInputs, inputValue, makeOutput } from '../task-helpers.js';
import type { BuiltinTask, TaskContext, TaskOutputs } from '../task-types.js';

const matchColumns: FitsColumn[] = [
  { name: 'src_id', format: 'K' }, { name: 'ref_id', format: 'K' },
  { name: 'src_ra', format: 'D', unit: 'deg' }, { name: 'src_dec', format: 'D', unit: 'deg' },
  { name: 'ref_ra', format: 'D', unit: 'deg' }, { name: 'ref_dec', format: 'D', unit: 'deg' },
  { name: 'distance', format: 'D', unit: 'arcsec' }, { name: 'ref_mag', format: 'D', unit: 'mag' }, { name: 'src_flux', format: 'D', unit: 'count' },
];

/** Reference stars of a (possibly multiple) reference-catalog connection, magnitudes in the quantum's band. */
export function referenceStars(ctx: TaskContext, connection: string): RefStar[] {
  const catalogs = getInputs(ctx, connection).map((input) => inputValue(ctx, input, isCatalog, 'a reference catalog'));
  const band = ctx.dataId['band'];
  return readReferenceStars(catalogs, band === undefined ? undefined : String(band));
}

function fail(ctx: TaskContext, message: string, hint: string): never {
  throw new TaskFailedError(`task '${ctx.label}' on ${JSON.stringify(ctx.dataId)}: ${message}`, { task: ctx.label, hint });
}

/** Two rounds of match-and-fit: a wide radius for the first guess, then a tight one. */
function refineAstrometry(ctx: TaskContext, exposure: Exposure, sources: MeasuredSource[], refs: RefStar[]): WcsFit {
  const clean = sources.filter((s) => !s.centroidFlag && !s.edgeFlag && !s.saturatedFlag && s.psfFlux / s.psfFluxErr >= 10);
  const minMatches = configNumber(ctx, 'minMatches', 3);
  let fit: WcsFit = { wcs: exposure.wcs!, rmsArcsec: Number.NaN, count: 0, residualsArcsec: [] };
  for (const radius of [configNumber(ctx, 'matchRadiusArcsec', 3), 1]) {
    let matches = matchToReference(clean, refs, { wcs: fit.wcs, radiusArcsec: radius });
    if (matches.length < minMatches) {
      fail(ctx, `astrometry found ${matches.length} reference matches within ${radius} arcsec (need ${minMatches})`, 'check the raw WCS and the reference catalog coverage, or lower minMatches');
    }
    fit = fitWcs(fit.wcs, matches);
    // Blends and mismatches shift a few centroids: drop >3-sigma residuals (never below 0.1") and refit.
    const residuals = fit.residualsArcsec;
    const limit = Math.max(0.1, median(residuals) + 3 * robustSigma(residuals));
    const kept = matches.filter((_, i) => residuals[i]! <= limit);
    if (kept.length >= minMatches && kept.length < matches.length) {
      matches = kept;
      fit = fitWcs(fit.wcs, matches);
    }
  }
  return fit;
}

/** What {@link calibrateImage} needs besides the task context. */
export interface CalibrateInput {
  /** The characterized exposure (modified in place: WCS, zero point, mask, metadata). */
  exposure: Exposure;
  /** Sources of the characterization, used for the astrometric fit. */
  icSources: MeasuredSource[];
  /** Reference stars for astrometry and photometry; undefined switches the step off. */
  astromRefs: RefStar[] | undefined;
  photoRefs: RefStar[] | undefined;
}

/**
 * Astrometric refinement against the reference stars, final detection and measurement with an
 * aperture correction, photometric zero point from matched stars. Returns the source catalog
 * and the matches (what CalibrateTask and ProcessCcdTask write).
 */
export function calibrateImage(ctx: TaskContext, input: CalibrateInput): { src: Catalog; matches: Match<MeasuredSource>[]; fit: WcsFit | undefined } {
  const { exposure } = input;
  if (exposure.wcs === null) fail(ctx, 'the exposure has no WCS', 'give raws with a WCS in their header');
  const psfSigmaPx = (exposure.psfFwhmPx ?? 4) / fwhmPerSigma;
  let fit: WcsFit | undefined;
  if (input.astromRefs !== undefined) {
    fit = refineAstrometry(ctx, exposure, input.icSources, input.astromRefs);
    exposure.wcs = fit.wcs;
    exposure.metadata['ASTRMS'] = fit.rmsArcsec;
    exposure.metadata['NASTMTCH'] = fit.count;
  }
  const detected = maskBit('DETECTED');
  for (let k = 0; k < exposure.mask.length; k++) exposure.mask[k]! &= ~detected;
  const detections = detectSources(exposure, { psfSigmaPx, thresholdSigma: configNumber(ctx, 'detectionThreshold', 5) });
  const sources = measureDetections(exposure, detections, { psfSigmaPx, apertureRadius: configNumber(ctx, 'apertureRadius', 8) });
  const apCorr = computeApertureCorrection(sources);
  applyApertureCorrection(sources, apCorr.factor);
  exposure.metadata['APCORR'] = apCorr.factor;
  let matches: Match<MeasuredSource>[] = [];
  const refs = input.photoRefs ?? input.astromRefs;
  if (refs !== undefined) {
    matches = matchToReference(sources.filter((s) => !s.saturatedFlag && !s.edgeFlag), refs, { wcs: exposure.wcs!, radiusArcsec: 1 });
  }
  if (input.photoRefs !== undefined) {
    const zp = fitZeroPoint(matches.map((m) => ({ flux: m.source.psfFlux, fluxErr: m.source.psfFluxErr, refMag: m.ref.mag })), configNumber(ctx, 'photoCalMinSnr', 10));
    if (zp.count === 0) fail(ctx, `no matched star with a reference magnitude for band '${String(ctx.dataId['band'])}' and S/N >= 10`, 'check that the photometric reference catalog has <band>_mag or <band>_flux columns');
    exposure.zeroPoint = zp.zeroPoint;
    exposure.metadata['MAGZERR'] = zp.error;
    exposure.metadata['NPHOTMAT'] = zp.count;
  }
  const src = makeSourceCatalog(exposure, sources, { BAND: String(ctx.dataId['band'] ?? '') });
  ctx.log.info({ task: ctx.label, dataId: ctx.dataId, sources: sources.length, astromRms: fit?.rmsArcsec, zeroPoint: exposure.zeroPoint }, 'calibrated');
  return { src, matches, fit };
}

async function runCalibrate(ctx: TaskContext): Promise<TaskOutputs> {
  const exposure = cloneExposure(inputValue(ctx, getInput(ctx, 'exposure'), isExposure, 'an Exposure'));
  const background = inputValue(ctx, getInput(ctx, 'background'), isBackgroundModel, 'a Background');
  const icSrc = inputValue(ctx, getInput(ctx, 'icSourceCat'), isCatalog, 'a SourceCatalog');
  const doAstrometry = configBoolean(ctx, 'doAstrometry', true);
  const { src, matches } = calibrateImage(ctx, {
    exposure,
    icSources: rowsToSources(icSrc, exposure),
    astromRefs: doAstrometry ? referenceStars(ctx, 'astromRefCat') : undefined,
    photoRefs: configBoolean(ctx, 'doPhotoCal', true) ? referenceStars(ctx, 'photoRefCat') : undefined,
  });
  const outputs: TaskOutputs = {
    outputExposure: makeOutput(ctx, 'outputExposure', exposure),
    outputCat: makeOutput(ctx, 'outputCat', src),
    outputBackground: makeOutput(ctx, 'outputBackground', background),
  };
  if (configBoolean(ctx, 'doWriteMatches', true) && doAstrometry) outputs['matches'] = makeOutput(ctx, 'matches', matchCatalog(exposure, matches));
  return outputs;
}

function rowsToSources(catalog: Catalog, exposure: Exposure): MeasuredSource[] {
  const col = (name: string) => catalog.data[name] as (number | boolean)[];
  return col('id').map((id, i) => ({
    id: id as number, x: (col('x')[i] as number) - exposure.xy0.x, y: (col('y')[i] as number) - exposure.xy0.y,
    xx: col('xx')[i] as number, yy: col('yy')[i] as number, xy: col('xy')[i] as number,
    psfFlux: col('flux')[i] as number, psfFluxErr: col('fluxErr')[i] as number, apFlux: col('apFlux')[i] as number, apFluxErr: col('apFluxErr')[i] as number,
    significance: col('significance')[i] as number, npix: col('npix')[i] as number,
    centroidFlag: col('flag_centroid')[i] === true, edgeFlag: col('flag_edge')[i] === true, saturatedFlag: col('flag_saturated')[i] === true,
  }));
}

function matchCatalog(exposure: Exposure, matches: Match<MeasuredSource>[]): Catalog {
  return makeCatalog(matchColumns, matches.map((m) => {
    const sky = pixelToSky(exposure.wcs!, m.source);
    return { src_id: m.source.id, ref_id: m.ref.id, src_ra: sky.ra, src_dec: sky.dec, ref_ra: m.ref.ra, ref_dec: m.ref.dec, distance: m.distanceArcsec, ref_mag: m.ref.mag, src_flux: m.source.psfFlux };
  }));
}

/** `lsst.pipe.tasks.calibrate.CalibrateTask` as a built-in task: astrometry, photometric zero point, final sources. */
export const calibrateTask: BuiltinTask = {
  className: 'lsst.pipe.tasks.calibrate.CalibrateTask',
  loadInputs: true,
  run: runCalibrate,
  makeInitOutputs: () => ({ outputSchema: makeCatalog(sourceColumns, []) }),
};
