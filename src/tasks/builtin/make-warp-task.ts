import { isExposure } from '../science/exposure.js';
import { resampleExposures } from '../science/resample.js';
import { mean } from '../science/stats.js';
import { TaskFailedError } from '../task-errors.js';
import { configBoolean, configNumber, getInputs, inputValue, makeOutput, rejectUnsupported } from '../task-helpers.js';
import type { BuiltinTask, TaskContext, TaskOutputs } from '../task-types.js';
import { readPatchGrid } from './patch-grid.js';

/**
 * Resamples the calexps of one visit (its detectors) onto the patch's outer-box grid of the
 * tract WCS, bilinearly, scaled to the common zero point `coaddZeroPoint` (default 27).
 */
async function runMakeWarp(ctx: TaskContext): Promise<TaskOutputs> {
  rejectUnsupported(ctx, 'makePsfMatched', configBoolean(ctx, 'makePsfMatched', false), 'PSF-matched warps');
  if (!configBoolean(ctx, 'makeDirect', true)) return {};
  const inputs = getInputs(ctx, 'calExpList');
  const calexps = inputs.map((input) => inputValue(ctx, input, isExposure, 'an Exposure'));
  const zeroPoint = configNumber(ctx, 'coaddZeroPoint', 27);
  const scales = calexps.map((c, i) => {
    if (c.zeroPoint === null) {
      throw new TaskFailedError(`task '${ctx.label}': calexp ${JSON.stringify(inputs[i]!.dataId)} has no photometric zero point (MAGZERO)`, {
        task: ctx.label,
        hint: 'run calibrate with doPhotoCal: true before makeWarp',
      });
    }
    return 10 ** (0.4 * (zeroPoint - c.zeroPoint));
  });
  const grid = readPatchGrid(ctx);
  const warp = resampleExposures(calexps, { ...grid, scales });
  warp.zeroPoint = zeroPoint;
  const fwhms = calexps.map((c) => c.psfFwhmPx ?? Number.NaN);
  warp.psfFwhmPx = Number.isFinite(mean(fwhms)) ? mean(fwhms) : null;
  const first = calexps[0]!.metadata;
  for (const key of ['FILTER', 'EXPTIME', 'DATE-OBS', 'INSTRUME']) if (first[key] !== undefined) warp.metadata[key] = first[key]!;
  warp.metadata['VISIT'] = Number(ctx.dataId['visit'] ?? -1);
  warp.metadata['NINPUTS'] = calexps.length;
  const covered = warp.image.reduce((n, v) => n + (Number.isFinite(v) ? 1 : 0), 0);
  warp.metadata['COVERAGE'] = covered / warp.image.length;
  ctx.log.info({ task: ctx.label, dataId: ctx.dataId, inputs: calexps.length, coverage: warp.metadata['COVERAGE'] }, 'warped');
  return { direct: makeOutput(ctx, 'direct', warp) };
}

/** `lsst.pipe.tasks.makeWarp.MakeWarpTask` as a built-in task (direct warps). */
export const makeWarpTask: BuiltinTask = { className: 'lsst.pipe.tasks.makeWarp.MakeWarpTask', loadInputs: true, run: runMakeWarp };
