import { makeCatalog } from '../science/catalog.js';
import { estimateBackground, subtractBackground, type BackgroundModel } from '../science/background.js';
import { detectSources } from '../science/detection.js';
import { cloneExposure, isExposure, maskBit, type Exposure } from '../science/exposure.js';
import { estimatePsfSigma, fwhmPerSigma, makeSourceCatalog, measureDetections, sourceColumns, type MeasuredSource } from '../science/sources.js';
import { configNumber, getInput, inputValue, makeOutput } from '../task-helpers.js';
import type { BuiltinTask, TaskContext, TaskOutputs } from '../task-types.js';

/** Result of {@link characterizeExposure}. */
export interface Characterization {
  exposure: Exposure;
  background: BackgroundModel;
  sources: MeasuredSource[];
  psfSigmaPx: number;
}

/** Options of {@link characterizeExposure}. */
export interface CharacterizeOptions {
  binSize: number;
  thresholdSigma: number;
  psfFwhmGuessPx: number;
  apertureRadius: number;
}

/**
 * Background (two passes: the second ignores the first pass's detections), detection, PSF size
 * from the stellar locus, then measurement with that PSF. Works on a copy.
 */
export function characterizeExposure(input: Exposure, options: CharacterizeOptions): Characterization {
  const exposure = cloneExposure(input);
  const background = estimateBackground(exposure, options.binSize);
  subtractBackground(exposure, background);
  let psfSigmaPx = options.psfFwhmGuessPx / fwhmPerSigma;
  let detections = detectSources(exposure, { psfSigmaPx, thresholdSigma: options.thresholdSigma });
  const residual = estimateBackground(exposure, options.binSize);
  subtractBackground(exposure, residual);
  for (let k = 0; k < background.image.length; k++) background.image[k]! += residual.image[k]!;
  const first = measureDetections(exposure, detections, { psfSigmaPx, apertureRadius: options.apertureRadius });
  psfSigmaPx = estimatePsfSigma(first, psfSigmaPx).sigma;
  const detected = maskBit('DETECTED');
  for (let k = 0; k < exposure.mask.length; k++) exposure.mask[k]! &= ~detected;
  detections = detectSources(exposure, { psfSigmaPx, thresholdSigma: options.thresholdSigma });
  const sources = measureDetections(exposure, detections, { psfSigmaPx, apertureRadius: options.apertureRadius });
  exposure.psfFwhmPx = psfSigmaPx * fwhmPerSigma;
  return { exposure, background, sources, psfSigmaPx };
}

/** Characterize options from a task config (keys: backgroundBinSize 64, detectionThreshold 5, psfFwhmGuessPx 4, apertureRadius 8). */
export function readCharacterizeOptions(ctx: TaskContext): CharacterizeOptions {
  return {
    binSize: configNumber(ctx, 'backgroundBinSize', 64),
    thresholdSigma: configNumber(ctx, 'detectionThreshold', 5),
    psfFwhmGuessPx: configNumber(ctx, 'psfFwhmGuessPx', 4),
    apertureRadius: configNumber(ctx, 'apertureRadius', 8),
  };
}

async function runCharacterize(ctx: TaskContext): Promise<TaskOutputs> {
  const input = inputValue(ctx, getInput(ctx, 'exposure'), isExposure, 'an Exposure');
  const result = characterizeExposure(input, readCharacterizeOptions(ctx));
  const catalog = makeSourceCatalog(result.exposure, result.sources, { PSFFWHM: result.exposure.psfFwhmPx ?? Number.NaN });
  ctx.log.info({ task: ctx.label, dataId: ctx.dataId, sources: result.sources.length, psfFwhmPx: result.exposure.psfFwhmPx }, 'characterized');
  return {
    characterized: makeOutput(ctx, 'characterized', result.exposure),
    sourceCat: makeOutput(ctx, 'sourceCat', catalog),
    backgroundModel: makeOutput(ctx, 'backgroundModel', result.background),
  };
}

/** `lsst.pipe.tasks.characterizeImage.CharacterizeImageTask` as a built-in task. */
export const characterizeTask: BuiltinTask = {
  className: 'lsst.pipe.tasks.characterizeImage.CharacterizeImageTask',
  loadInputs: true,
  run: runCharacterize,
  makeInitOutputs: () => ({ outputSchema: makeCatalog(sourceColumns, []) }),
};
