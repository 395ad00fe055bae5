import type { ConfigObject } from '../pipeline/index.js';
import type { Logger } from '../util/index.js';

/** A data ID: dimension name → value, implied dimensions included (band, physical_filter...). */
export type DataId = Readonly<Record<string, string | number>>;

/**
 * One input dataset handed to a task. `value` is the object read with `readDataset` (undefined
 * when the task declares `loadInputs: false`, as command tasks do); `path` is the file it lives
 * in, when there is one.
 */
export interface InputDataset<T = unknown> {
  dataId: DataId;
  datasetType: string;
  storageClass: string;
  path?: string;
  value: T;
}

/** A predicted output: its data ID and, for tasks that write files themselves, the path to write. */
export interface OutputRef {
  dataId: DataId;
  datasetType: string;
  storageClass: string;
  /** Where a command task must write the file (the execution layer moves it into the datastore). */
  path?: string;
}

/**
 * One produced output. Built-in tasks return the in-memory object (`value`); the caller turns it
 * into bytes with `writeDataset(storageClass, value)`. Command tasks return the file they wrote
 * (`path`).
 */
export type OutputDataset =
  | { dataId: DataId; value: unknown; path?: undefined }
  | { dataId: DataId; path: string; value?: undefined };

/** Inputs or outputs keyed by connection name; `multiple` connections give arrays. */
export type ConnectionValues<T> = Record<string, T | T[]>;

/** Everything a task run sees. */
export interface TaskContext {
  /** The task's label in the pipeline. */
  label: string;
  /** Resolved config (catalog defaults plus pipeline overrides), a plain object. */
  config: ConfigObject;
  /** The quantum's data ID, implied dimensions included. */
  dataId: DataId;
  /** Inputs and prerequisite inputs by connection name (arrays for `multiple` connections). */
  inputs: ConnectionValues<InputDataset>;
  /** Predicted outputs by connection name (from the quantum graph); optional for built-in tasks. */
  outputs?: ConnectionValues<OutputRef>;
  log: Logger;
  /** Scratch folder the task may use (command tasks put list files there). */
  workDir?: string;
}

/** Outputs of one run, by connection name (arrays for `multiple` outputs). */
export type TaskOutputs = ConnectionValues<OutputDataset>;

/** Context of {@link BuiltinTask.makeInitOutputs}: the label and resolved config. */
export interface InitContext {
  label: string;
  config: ConfigObject;
}

/**
 * A task bps-ts runs itself. `run` is called once per quantum; `makeInitOutputs` once per
 * pipeline run (schemas), keyed by initOutput connection name.
 */
export interface BuiltinTask {
  readonly className: string;
  /** False when the task wants only paths (the caller then skips reading inputs). */
  readonly loadInputs: boolean;
  run(ctx: TaskContext): Promise<TaskOutputs>;
  makeInitOutputs?(ctx: InitContext): Record<string, unknown>;
}
