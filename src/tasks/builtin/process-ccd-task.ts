import { makeCatalog } from '../science/catalog.js';
import { isExposure } from '../science/exposure.js';
import { sourceColumns } from '../science/sources.js';
import { configBoolean, getInput, inputValue, makeOutput } from '../task-helpers.js';
import type { BuiltinTask, TaskContext, TaskOutputs } from '../task-types.js';
import { calibrateImage, referenceStars } from './calibrate-task.js';
import { characterizeExposure, readCharacterizeOptions } from './characterize-task.js';
import { removeInstrumentSignature } from './isr-task.js';

/**
 * Gen2-style single-frame processing in one quantum: ISR (bias, flat), characterization
 * (background, PSF, detection, measurement) and, with doCalibrate, astrometric and photometric
 * calibration against `refCat` → calexp (background-subtracted, WCS, MAGZERO, PSFFWHM) and src.
 */
async function runProcessCcd(ctx: TaskContext): Promise<TaskOutputs> {
  const raw = inputValue(ctx, getInput(ctx, 'ccdExposure'), isExposure, 'an Exposure');
  const postIsr = removeInstrumentSignature(ctx, raw);
  const characterized = characterizeExposure(postIsr, readCharacterizeOptions(ctx));
  const exposure = characterized.exposure;
  const refs = configBoolean(ctx, 'doCalibrate', true) ? referenceStars(ctx, 'refCat') : undefined;
  const { src } = calibrateImage(ctx, { exposure, icSources: characterized.sources, astromRefs: refs, photoRefs: refs });
  return { outputExposure: makeOutput(ctx, 'outputExposure', exposure), outputCat: makeOutput(ctx, 'outputCat', src) };
}

/** `lsst.pipe.tasks.processCcd.ProcessCcdTask` as a built-in task (isr + characterize + calibrate). */
export const processCcdTask: BuiltinTask = {
  className: 'lsst.pipe.tasks.processCcd.ProcessCcdTask',
  loadInputs: true,
  run: runProcessCcd,
  makeInitOutputs: () => ({ outputSchema: makeCatalog(sourceColumns, []) }),
};
