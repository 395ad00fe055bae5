import { BpsError, ExitCode } from '../errors/index.js';
import type { BpsErrorOptions } from '../errors/index.js';

/** Where a pipeline problem was found: the file, and the task/subset/step label if any. */
export interface PipelineErrorContext extends BpsErrorOptions {
  file?: string;
  key?: string;
  label?: string;
}

/**
 * A pipeline document (or one of its imports) breaks a rule of the pipeline language: duplicate
 * keys or labels, unknown subset labels, conflicting instruments, a bad label fragment...
 */
export class PipelineError extends BpsError {
  override readonly code: string = 'PIPELINE';
  override readonly exitCode: ExitCode = ExitCode.invalidInput;
  readonly file: string | undefined;
  readonly key: string | undefined;
  readonly label: string | undefined;

  constructor(message: string, options: PipelineErrorContext = {}) {
    super(message, options);
    this.file = options.file;
    this.key = options.key;
    this.label = options.label;
  }
}

/** A pipeline contract evaluated to false. */
export class ContractError extends PipelineError {
  override readonly code = 'PIPELINE_CONTRACT';
}

/**
 * The data flow of a pipeline is inconsistent once task connections are known: two producers of
 * one dataset type, a produced prerequisite, a cycle, steps out of order...
 */
export class PipelineGraphError extends PipelineError {
  override readonly code = 'PIPELINE_GRAPH';
}

/** A task class is needed (to resolve connections) but the task catalog has no entry for it. */
export class MissingTaskClassError extends BpsError {
  override readonly code = 'PIPELINE_MISSING_TASK_CLASS';
  override readonly exitCode = ExitCode.notFound;
  readonly taskClasses: readonly string[];

  constructor(message: string, options: BpsErrorOptions & { taskClasses: readonly string[] }) {
    super(message, options);
    this.taskClasses = options.taskClasses;
  }
}

/** A task catalog file is malformed. */
export class TaskCatalogError extends PipelineError {
  override readonly code = 'TASK_CATALOG';
}
