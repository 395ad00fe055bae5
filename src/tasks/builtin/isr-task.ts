import { TaskInputError } from '../task-errors.js';
import { configBoolean, configNumber, findInput, getInput, inputValue, makeOutput, rejectUnsupported } from '../task-helpers.js';
import type { BuiltinTask, TaskContext, TaskOutputs } from '../task-types.js';
import { cloneExposure, isExposure, maskBit, type Exposure } from '../science/exposure.js';

function calibration(ctx: TaskContext, connection: string, raw: Exposure): Exposure | undefined {
  const input = findInput(ctx, connection);
  if (input === undefined) return undefined;
  const calib = inputValue(ctx, input, isExposure, 'an Exposure');
  if (calib.width !== raw.width || calib.height !== raw.height) {
    throw new TaskInputError(`task '${ctx.label}': ${connection} ${JSON.stringify(input.dataId)} is ${calib.width} x ${calib.height}, the raw ${raw.width} x ${raw.height}`, {
      task: ctx.label,
      key: connection,
      hint: `certify a ${connection} made for this detector`,
    });
  }
  return calib;
}

function requireCalibration(ctx: TaskContext, connection: string, raw: Exposure, flag: string): Exposure {
  const calib = calibration(ctx, connection, raw);
  if (calib === undefined) {
    throw new TaskInputError(`task '${ctx.label}': ${flag} is true but no '${connection}' was given for ${JSON.stringify(ctx.dataId)}`, {
      task: ctx.label,
      key: connection,
      hint: `certify a ${connection} for this detector (and filter) or set ${flag}: false`,
    });
  }
  return calib;
}

/**
 * Instrument signature removal: subtracts the bias (ADU), converts to electrons with the gain,
 * subtracts the dark (electrons per second × EXPTIME), divides by the flat; builds the variance
 * (Poisson + read noise, through the flat) and the SAT and BAD mask planes.
 * Config: doBias, doDark, doFlat, doDefect (unsupported), doWrite; gain and readNoise (electrons)
 * default to the raw header's GAIN/RDNOISE; saturation (ADU, 65535); flatMinimum (0.2).
 */
export function removeInstrumentSignature(ctx: TaskContext, raw: Exposure): Exposure {
  rejectUnsupported(ctx, 'doDefect', configBoolean(ctx, 'doDefect', false), 'defect masking');
  const header = raw.metadata;
  const gain = configNumber(ctx, 'gain', typeof header['GAIN'] === 'number' ? header['GAIN'] : 1);
  const readNoise = configNumber(ctx, 'readNoise', typeof header['RDNOISE'] === 'number' ? header['RDNOISE'] : 0);
  const saturation = configNumber(ctx, 'saturation', 65535);
  const flatMinimum = configNumber(ctx, 'flatMinimum', 0.2);
  const bias = configBoolean(ctx, 'doBias', true) ? requireCalibration(ctx, 'bias', raw, 'doBias') : undefined;
  const dark = configBoolean(ctx, 'doDark', false) ? requireCalibration(ctx, 'dark', raw, 'doDark') : undefined;
  const flat = configBoolean(ctx, 'doFlat', true) ? requireCalibration(ctx, 'flat', raw, 'doFlat') : undefined;
  const exptime = typeof header['EXPTIME'] === 'number' ? header['EXPTIME'] : 0;
  const out = cloneExposure(raw);
  const sat = maskBit('SAT');
  const bad = maskBit('BAD');
  for (let k = 0; k < out.image.length; k++) {
    const adu = raw.image[k]!;
    let mask = 0;
    if (adu >= saturation) mask |= sat;
    let electrons = (adu - (bias?.image[k] ?? 0)) * gain - (dark === undefined ? 0 : dark.image[k]! * exptime);
    let variance = Math.max(electrons, 0) + readNoise * readNoise;
    const f = flat?.image[k] ?? 1;
    if (!(f >= flatMinimum) || !Number.isFinite(electrons)) {
      mask |= bad;
      electrons = 0;
    } else {
      electrons /= f;
      variance /= f * f;
    }
    out.image[k] = electrons;
    out.variance[k] = variance;
    out.mask[k] = mask | (bias?.mask[k] ?? 0) | (flat?.mask[k] ?? 0);
  }
  out.metadata['BUNIT'] = 'electron';
  out.metadata['ISR_BIAS'] = bias !== undefined;
  out.metadata['ISR_FLAT'] = flat !== undefined;
  out.metadata['ISR_DARK'] = dark !== undefined;
  ctx.log.info({ task: ctx.label, dataId: ctx.dataId, gain, readNoise }, 'isr done');
  return out;
}

async function runIsr(ctx: TaskContext): Promise<TaskOutputs> {
  const out = removeInstrumentSignature(ctx, inputValue(ctx, getInput(ctx, 'ccdExposure'), isExposure, 'an Exposure'));
  return configBoolean(ctx, 'doWrite', true) ? { outputExposure: makeOutput(ctx, 'outputExposure', out) } : {};
}

/** `lsst.ip.isr.IsrTask` as a built-in task. */
export const isrTask: BuiltinTask = { className: 'lsst.ip.isr.IsrTask', loadInputs: true, run: runIsr };
