import { createExposure, isExposure, maskBit, type Exposure } from '../science/exposure.js';
import { median } from '../science/stats.js';
import { TaskInputError } from '../task-errors.js';
import { configBoolean, configNumber, getInputs, inputValue, makeOutput, rejectUnsupported } from '../task-helpers.js';
import type { BuiltinTask, TaskContext, TaskOutputs } from '../task-types.js';

/** Options of {@link stackWarps}. */
export interface StackOptions {
  /** Inputs further than this many sigma from the per-pixel median are dropped (with ≥ 3 inputs). */
  clipSigma: number;
}

/**
 * Inverse-variance weighted mean of aligned warps (one weight per warp, from its median variance,
 * so stars do not weigh themselves down), with per-pixel outlier clipping around the median.
 * Returns the coadd and the number of inputs per pixel.
 */
export function stackWarps(warps: readonly Exposure[], options: StackOptions): { coadd: Exposure; nImage: Float32Array } {
  const first = warps[0]!;
  const noData = maskBit('NO_DATA');
  const coadd = createExposure({ width: first.width, height: first.height, wcs: first.wcs, xy0: first.xy0 });
  const nImage = new Float32Array(first.width * first.height);
  const weights = warps.map((w) => {
    const v = median(w.variance.filter((x, k) => (w.mask[k]! & noData) === 0 && x > 0));
    return Number.isFinite(v) && v > 0 ? 1 / v : 0;
  });
  const values: number[] = [];
  const used: number[] = [];
  for (let k = 0; k < coadd.image.length; k++) {
    values.length = 0;
    used.length = 0;
    for (let n = 0; n < warps.length; n++) {
      const w = warps[n]!;
      if ((w.mask[k]! & noData) === 0 && Number.isFinite(w.image[k]!) && weights[n]! > 0) {
        values.push(w.image[k]!);
        used.push(n);
      }
    }
    let kept = used;
    if (used.length >= 3) {
      const m = median(values);
      kept = used.filter((n, i) => Math.abs(values[i]! - m) <= options.clipSigma * Math.sqrt(Math.max(warps[n]!.variance[k]!, 1e-12)));
      if (kept.length === 0) kept = used;
    }
    if (kept.length === 0) {
      coadd.image[k] = Number.NaN;
      coadd.mask[k] = noData;
      continue;
    }
    let sw = 0, swx = 0, swwv = 0, mask = 0;
    for (const n of kept) {
      const w = weights[n]!;
      sw += w;
      swx += w * warps[n]!.image[k]!;
      swwv += w * w * warps[n]!.variance[k]!;
      mask |= warps[n]!.mask[k]!;
    }
    coadd.image[k] = swx / sw;
    coadd.variance[k] = swwv / (sw * sw);
    coadd.mask[k] = mask & ~noData;
    nImage[k] = kept.length;
  }
  const fwhms = warps.map((w, n) => [w.psfFwhmPx ?? Number.NaN, weights[n]!] as const).filter(([f]) => Number.isFinite(f));
  const wsum = fwhms.reduce((a, [, w]) => a + w, 0);
  coadd.psfFwhmPx = fwhms.length === 0 || wsum === 0 ? null : fwhms.reduce((a, [f, w]) => a + f * w, 0) / wsum;
  coadd.zeroPoint = first.zeroPoint;
  return { coadd, nImage };
}

async function runAssembleCoadd(ctx: TaskContext): Promise<TaskOutputs> {
  rejectUnsupported(ctx, 'doMaskBrightObjects', configBoolean(ctx, 'doMaskBrightObjects', false), 'bright-object masks');
  rejectUnsupported(ctx, 'doInputMap', configBoolean(ctx, 'doInputMap', false), 'HealSparse input maps');
  const inputs = getInputs(ctx, 'inputWarps');
  const warps = inputs.map((input) => inputValue(ctx, input, isExposure, 'an Exposure'));
  const first = warps[0]!;
  warps.forEach((w, i) => {
    if (w.width !== first.width || w.height !== first.height || w.xy0.x !== first.xy0.x || w.xy0.y !== first.xy0.y || w.zeroPoint !== first.zeroPoint) {
      throw new TaskInputError(`task '${ctx.label}': warp ${JSON.stringify(inputs[i]!.dataId)} is not on the same grid and zero point as ${JSON.stringify(inputs[0]!.dataId)}`, {
        task: ctx.label,
        key: 'inputWarps',
        hint: 'make all warps of a patch with the same skymap and coaddZeroPoint',
      });
    }
  });
  const { coadd, nImage } = stackWarps(warps, { clipSigma: configNumber(ctx, 'clipSigma', 3) });
  for (const key of ['FILTER', 'INSTRUME']) if (first.metadata[key] !== undefined) coadd.metadata[key] = first.metadata[key]!;
  coadd.metadata['BAND'] = String(ctx.dataId['band'] ?? '');
  coadd.metadata['NINPUTS'] = warps.length;
  const outputs: TaskOutputs = { coaddExposure: makeOutput(ctx, 'coaddExposure', coadd) };
  if (configBoolean(ctx, 'doNImage', false)) {
    const image = createExposure({ width: coadd.width, height: coadd.height, image: nImage, wcs: coadd.wcs, xy0: coadd.xy0 });
    outputs['nImage'] = makeOutput(ctx, 'nImage', image);
  }
  ctx.log.info({ task: ctx.label, dataId: ctx.dataId, warps: warps.length }, 'coadd assembled');
  return outputs;
}

/** `lsst.pipe.tasks.assembleCoadd.AssembleCoaddTask` as a built-in task. */
export const assembleCoaddTask: BuiltinTask = { className: 'lsst.pipe.tasks.assembleCoadd.AssembleCoaddTask', loadInputs: true, run: runAssembleCoadd };
