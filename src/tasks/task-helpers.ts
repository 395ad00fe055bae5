import type { ConfigObject } from '../pipeline/index.js';
import { TaskInputError } from './task-errors.js';
import type { DataId, InputDataset, OutputDataset, TaskContext } from './task-types.js';

/** The single input of a connection; throws naming the connection when absent or multiple. */
export function getInput<T>(ctx: TaskContext, connection: string): InputDataset<T> {
  const value = ctx.inputs[connection];
  if (value === undefined || (Array.isArray(value) && value.length !== 1)) {
    const got = value === undefined ? 'nothing' : `${(value as InputDataset[]).length} datasets`;
    throw new TaskInputError(`task '${ctx.label}': input connection '${connection}' needs one dataset, got ${got}`, {
      task: ctx.label,
      key: connection,
      hint: 'check that the quantum graph gives this connection exactly one dataset',
    });
  }
  return (Array.isArray(value) ? value[0] : value) as InputDataset<T>;
}

/** The single input of a connection, or undefined when the connection was not given. */
export function findInput<T>(ctx: TaskContext, connection: string): InputDataset<T> | undefined {
  const value = ctx.inputs[connection];
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return undefined;
  return getInput<T>(ctx, connection);
}

/** The inputs of a `multiple` connection (a single value is wrapped); throws when fewer than `minimum`. */
export function getInputs<T>(ctx: TaskContext, connection: string, minimum = 1): InputDataset<T>[] {
  const value = ctx.inputs[connection];
  const list = (value === undefined ? [] : Array.isArray(value) ? value : [value]) as InputDataset<T>[];
  if (list.length < minimum) {
    throw new TaskInputError(`task '${ctx.label}': input connection '${connection}' needs at least ${minimum} dataset(s), got ${list.length}`, {
      task: ctx.label,
      key: connection,
    });
  }
  return list;
}

/** The value of a dimension in the quantum data ID. */
export function getDimension(ctx: TaskContext, dimension: string): string | number {
  const value = ctx.dataId[dimension];
  if (value === undefined) {
    throw new TaskInputError(`task '${ctx.label}': the quantum data ID ${JSON.stringify(ctx.dataId)} has no '${dimension}'`, {
      task: ctx.label,
      key: dimension,
      hint: `give the quantum a data ID with '${dimension}' (implied dimensions included)`,
    });
  }
  return value;
}

/** A numeric config value with a default, checked. */
export function configNumber(ctx: { label: string; config: ConfigObject }, key: string, fallback: number): number {
  const value = ctx.config[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TaskInputError(`task '${ctx.label}': config '${key}' is ${JSON.stringify(value)}, expected a number`, {
      task: ctx.label,
      key,
      hint: `set ${key} to a number, e.g. ${fallback}`,
    });
  }
  return value;
}

/** A boolean config value with a default, checked. */
export function configBoolean(ctx: { label: string; config: ConfigObject }, key: string, fallback: boolean): boolean {
  const value = ctx.config[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') {
    throw new TaskInputError(`task '${ctx.label}': config '${key}' is ${JSON.stringify(value)}, expected true or false`, {
      task: ctx.label,
      key,
    });
  }
  return value;
}

/** A string config value with a default, checked. */
export function configString(ctx: { label: string; config: ConfigObject }, key: string, fallback: string): string {
  const value = ctx.config[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string') {
    throw new TaskInputError(`task '${ctx.label}': config '${key}' is ${JSON.stringify(value)}, expected a string`, { task: ctx.label, key });
  }
  return value;
}

/** The data ID of an output: the predicted one when the graph gave it, else the quantum's. */
export function outputDataId(ctx: TaskContext, connection: string): DataId {
  const predicted = ctx.outputs?.[connection];
  const first = Array.isArray(predicted) ? predicted[0] : predicted;
  return first?.dataId ?? ctx.dataId;
}

/** An output holding an in-memory object, with the connection's data ID. */
export function makeOutput(ctx: TaskContext, connection: string, value: unknown): OutputDataset {
  return { dataId: outputDataId(ctx, connection), value };
}

/** The loaded value of an input, checked with a type guard; throws naming the connection and dataset type. */
export function inputValue<T>(ctx: TaskContext, input: InputDataset, guard: (value: unknown) => value is T, expected: string): T {
  if (!guard(input.value)) {
    throw new TaskInputError(
      `task '${ctx.label}': input '${input.datasetType}' ${JSON.stringify(input.dataId)} is not ${expected} (got ${input.value === undefined ? 'nothing' : typeof input.value})`,
      { task: ctx.label, key: input.datasetType, hint: `read it with readDataset('${input.storageClass}', path) before running the task` },
    );
  }
  return input.value;
}

/** Throws when a config switch asks for something the built-in task does not implement. */
export function rejectUnsupported(ctx: TaskContext, key: string, enabled: boolean, what: string): void {
  if (enabled) {
    throw new TaskInputError(`task '${ctx.label}': config '${key}' is true, but the built-in task does not implement ${what}`, {
      task: ctx.label,
      key,
      hint: `set ${key}: false in the pipeline's config for '${ctx.label}'`,
    });
  }
}
