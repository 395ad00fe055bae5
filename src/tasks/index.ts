/**
 * Tasks bps-ts runs itself: the science of the demo pipeline (ISR, characterize, calibrate,
 * warps, coadds, multiband detection and measurement, forced photometry) and a generic command
 * task that runs an external program without a shell. Tasks are pure-ish: they get loaded inputs
 * and return in-memory outputs; the formatters here turn storage classes into files and back.
 * The execution layer (`qg run-qbb`) reads inputs, calls `run`, writes outputs.
 * @packageDocumentation
 */

/** Task interface: context (label, config, data ID, inputs, predicted outputs, logger) and outputs. */
export type {
  BuiltinTask, ConnectionValues, DataId, InitContext, InputDataset, OutputDataset, OutputRef, TaskContext, TaskOutputs,
} from './task-types.js';

/** `getBuiltinTask(className)`, `hasBuiltinTask(className)`, `listBuiltinTasks()`: the static map of built-in tasks. */
export { getBuiltinTask, hasBuiltinTask, listBuiltinTasks } from './builtin-tasks.js';

/** The generic command task (DESDM-style wrapper) and its class name `bps_ts.tasks.CommandTask`. */
export { commandTask, commandTaskClassName } from './command-task.js';
/** Validated command-task config: executable, args, perFileArgs/per_file_cmdline, listFiles, env, timeoutSeconds. */
export { parseCommandConfig } from './command-config.js';
export type { CommandConfig, ListFileSpec, PerFileArgs } from './command-config.js';
/** Argument templates: `{visit}`, `{input:conn}`, `{inputs:conn}`, `{output:conn}`, `{listfile:name}`; never run by a shell. */
export { expandArgument, expandArguments } from './command-template.js';
export type { TemplateScope } from './command-template.js';

/** `TaskFailedError` (exit code 9: a run failed, carries command, program exit code, signal, stderr tail) and `TaskInputError` (exit code 3). */
export { TaskFailedError, TaskInputError } from './task-errors.js';
export type { TaskFailureContext } from './task-errors.js';

/** Helpers for task code: single/multiple inputs, dimensions, typed config values, outputs. */
export {
  configBoolean, configNumber, configString, findInput, getDimension, getInput, getInputs, inputValue, makeOutput, outputDataId,
} from './task-helpers.js';

/**
 * Storage-class formatters: `writeDataset(storageClass, object) → { bytes, extension }`,
 * `readDataset(storageClass, path)`, `decodeDataset(storageClass, bytes, file?)`.
 */
export { datasetFormats, decodeDataset, formatOfStorageClass, hasFormatter, readDataset, writeDataset } from './formatters/storage-formatters.js';
export type { DatasetFormat } from './formatters/storage-formatters.js';
/** Exposure FITS layout (primary IMAGE + MASK + VARIANCE HDUs). */
export { decodeExposure, encodeExposure } from './formatters/exposure-formatter.js';

/** In-memory types: exposures with mask planes, catalogs, background models. */
export { cloneExposure, createExposure, isExposure, maskBit, maskPlanes } from './science/exposure.js';
export type { CreateExposureOptions, Exposure, MaskPlane } from './science/exposure.js';
export { catalogLength, catalogRows, concatCatalogs, getNumberColumn, isCatalog, makeCatalog } from './science/catalog.js';
export type { Catalog, CatalogRow } from './science/catalog.js';
export { estimateBackground, isBackgroundModel, subtractBackground } from './science/background.js';
export type { BackgroundModel } from './science/background.js';

/** Science building blocks (used by the tasks; exported for tests and notebooks). */
export { detectSources } from './science/detection.js';
export type { Detection, DetectionOptions } from './science/detection.js';
export { fluxToMag, measureAdaptiveMoments, measureApertureFlux, measurePsfFlux } from './science/measurement.js';
export type { FluxMeasurement, Moments } from './science/measurement.js';
export { fitWcs, fitZeroPoint, matchToReference, pixelScaleArcsec, readReferenceStars } from './science/astrometry.js';
export type { Match, RefStar, WcsFit } from './science/astrometry.js';
export { resampleExposures } from './science/resample.js';
export type { ResampleOptions } from './science/resample.js';
export { clippedStats, mean, median, robustSigma } from './science/stats.js';
export { fwhmPerSigma, sourceColumns } from './science/sources.js';
export { stackWarps } from './builtin/assemble-coadd-task.js';
export { characterizeExposure } from './builtin/characterize-task.js';
