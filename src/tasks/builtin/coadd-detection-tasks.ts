import type { FitsColumn } from '../../fits/index.js';
import { separationDeg } from '../../geom/index.js';
import { estimateBackground, subtractBackground } from '../science/background.js';
import { catalogRows, isCatalog, makeCatalog, type CatalogRow } from '../science/catalog.js';
import { detectSources } from '../science/detection.js';
import { cloneExposure, isExposure } from '../science/exposure.js';
import { applyApertureCorrection, computeApertureCorrection, estimatePsfSigma, fwhmPerSigma, makeSourceCatalog, measureDetections, sourceColumns } from '../science/sources.js';
import { configBoolean, configNumber, getInput, getInputs, inputValue, makeOutput, rejectUnsupported } from '../task-helpers.js';
import type { BuiltinTask, TaskContext, TaskOutputs } from '../task-types.js';
import type { ConfigObject } from '../../pipeline/index.js';

async function runDetectCoaddSources(ctx: TaskContext): Promise<TaskOutputs> {
  rejectUnsupported(ctx, 'useCellCoadds', configBoolean(ctx, 'useCellCoadds', false), 'cell coadds');
  const exposure = cloneExposure(inputValue(ctx, getInput(ctx, 'exposure'), isExposure, 'an Exposure'));
  const background = estimateBackground(exposure, configNumber(ctx, 'backgroundBinSize', 128));
  subtractBackground(exposure, background);
  let psfSigmaPx = (exposure.psfFwhmPx ?? configNumber(ctx, 'psfFwhmGuessPx', 4)) / fwhmPerSigma;
  const threshold = configNumber(ctx, 'detectionThreshold', 5);
  const apertureRadius = configNumber(ctx, 'apertureRadius', 8);
  let sources = measureDetections(exposure, detectSources(exposure, { psfSigmaPx, thresholdSigma: threshold }), { psfSigmaPx, apertureRadius });
  const psf = estimatePsfSigma(sources, psfSigmaPx);
  if (psf.count >= 3 && Math.abs(psf.sigma - psfSigmaPx) > 0.05 * psfSigmaPx) {
    psfSigmaPx = psf.sigma;
    sources = measureDetections(exposure, detectSources(exposure, { psfSigmaPx, thresholdSigma: threshold }), { psfSigmaPx, apertureRadius });
  }
  exposure.psfFwhmPx = psfSigmaPx * fwhmPerSigma;
  const apCorr = computeApertureCorrection(sources);
  applyApertureCorrection(sources, apCorr.factor);
  exposure.metadata['APCORR'] = apCorr.factor;
  const band = String(ctx.dataId['band'] ?? '');
  const catalog = makeSourceCatalog(exposure, sources, { BAND: band });
  ctx.log.info({ task: ctx.label, dataId: ctx.dataId, sources: sources.length }, 'coadd sources detected');
  return {
    outputBackgrounds: makeOutput(ctx, 'outputBackgrounds', background),
    outputSources: makeOutput(ctx, 'outputSources', catalog),
    outputExposure: makeOutput(ctx, 'outputExposure', exposure),
  };
}

/** `lsst.pipe.tasks.multiBand.DetectCoaddSourcesTask` as a built-in task. */
export const detectCoaddSourcesTask: BuiltinTask = {
  className: 'lsst.pipe.tasks.multiBand.DetectCoaddSourcesTask',
  loadInputs: true,
  run: runDetectCoaddSources,
  makeInitOutputs: () => ({ detectionSchema: makeCatalog(sourceColumns, []) }),
};

/** Band order used to pick reference bands and merge peaks (config `priorityList`). */
export function readPriorityList(ctx: { label: string; config: ConfigObject }, bands: readonly string[]): string[] {
  const configured = ctx.config['priorityList'];
  const list = Array.isArray(configured) ? configured.map(String) : ['i', 'r', 'z', 'y', 'g', 'u'];
  return [...list.filter((b) => bands.includes(b)), ...[...bands].filter((b) => !list.includes(b)).sort()];
}

/** Columns of the merged detection catalog, with one `merge_peak_<band>` flag per band. */
export function mergedColumns(bands: readonly string[]): FitsColumn[] {
  return [
    { name: 'id', format: 'K' }, { name: 'x', format: 'D', unit: 'pixel' }, { name: 'y', format: 'D', unit: 'pixel' },
    { name: 'ra', format: 'D', unit: 'deg' }, { name: 'dec', format: 'D', unit: 'deg' }, { name: 'significance', format: 'D' },
    ...bands.map((b) => ({ name: `merge_peak_${b}`, format: 'L' as const })),
  ];
}

/**
 * Merges per-band detections: bands in priority order; a peak within `matchRadiusArcsec`
 * (default 1) of a merged one flags that object as seen in its band, else it becomes a new object.
 */
async function runMergeDetections(ctx: TaskContext): Promise<TaskOutputs> {
  const inputs = getInputs(ctx, 'catalogs');
  const byBand = new Map(inputs.map((input) => [String(input.dataId['band']), catalogRows(inputValue(ctx, input, isCatalog, 'a SourceCatalog'))]));
  const bands = readPriorityList(ctx, [...byBand.keys()]);
  const radius = configNumber(ctx, 'matchRadiusArcsec', 1);
  const merged: CatalogRow[] = [];
  for (const band of bands) {
    for (const peak of byBand.get(band) ?? []) {
      const sky = { ra: peak['ra'] as number, dec: peak['dec'] as number };
      const same = merged.find((m) => separationDeg(sky, { ra: m['ra'] as number, dec: m['dec'] as number }) * 3600 <= radius);
      if (same !== undefined) {
        same[`merge_peak_${band}`] = true;
        same['significance'] = Math.max(same['significance'] as number, peak['significance'] as number);
        continue;
      }
      const row: CatalogRow = { id: merged.length + 1, x: peak['x']!, y: peak['y']!, ra: sky.ra, dec: sky.dec, significance: peak['significance']! };
      for (const b of bands) row[`merge_peak_${b}`] = b === band;
      merged.push(row);
    }
  }
  ctx.log.info({ task: ctx.label, dataId: ctx.dataId, bands, objects: merged.length }, 'detections merged');
  return { outputCatalog: makeOutput(ctx, 'outputCatalog', makeCatalog(mergedColumns(bands), merged, { BANDS: bands.join(',') })) };
}

/** `lsst.pipe.tasks.mergeDetections.MergeDetectionsTask` as a built-in task. */
export const mergeDetectionsTask: BuiltinTask = {
  className: 'lsst.pipe.tasks.mergeDetections.MergeDetectionsTask',
  loadInputs: true,
  run: runMergeDetections,
  makeInitOutputs: () => ({ outputSchema: makeCatalog(mergedColumns([]), []), outputPeakSchema: makeCatalog(mergedColumns([]), []) }),
};
