import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { readTaskCatalogFile, type ConfigObject, type TaskCatalogEntry } from '../../src/pipeline/index.js';
import {
  decodeDataset, getBuiltinTask, writeDataset, type DataId, type InputDataset, type OutputDataset, type TaskOutputs,
} from '../../src/tasks/index.js';
import { createSilentLogger } from '../../src/util/index.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const entries = new Map(readTaskCatalogFile(path.join(projectRoot, 'pipelines/catalog/demo.yaml')).map((e) => [e.taskClass, e]));

/** The demo catalog entry of a class. */
export function catalogEntry(className: string): TaskCatalogEntry {
  const entry = entries.get(className);
  if (entry === undefined) throw new Error(`no demo catalog entry for ${className}`);
  return entry;
}

/** Evaluates a connection's `when` (names, not, and, or) over a config. */
export function isEnabled(when: string | undefined, config: ConfigObject): boolean {
  if (when === undefined) return true;
  return when.split(/\s+or\s+/).some((any) => any.split(/\s+and\s+/).every((term) => {
    const negated = term.trim().startsWith('not ');
    const name = term.trim().replace(/^not\s+/, '');
    return negated ? config[name] !== true : config[name] === true;
  }));
}

/** An input handed to a task as if the execution layer had read it. */
export function asInput(value: unknown, dataId: DataId, datasetType = 'test', storageClass = 'Json'): InputDataset {
  return { dataId, datasetType, storageClass, value };
}

/**
 * Runs a built-in task with the demo catalog's config defaults, checks that it was given only
 * its declared connections and produced exactly the enabled outputs, and passes every output
 * through its storage class's formatter (write, then decode) so later steps see what a file holds.
 */
export async function runDemoTask(className: string, options: { dataId: DataId; inputs: Record<string, InputDataset | InputDataset[]>; config?: ConfigObject }): Promise<Record<string, unknown>> {
  const entry = catalogEntry(className);
  const config: ConfigObject = { ...entry.config, ...(options.config ?? {}) };
  for (const name of Object.keys(options.inputs)) {
    expect(['input', 'prerequisiteInput'], `connection ${name} of ${className}`).toContain(entry.connections[name]?.kind);
  }
  const outputs: TaskOutputs = await getBuiltinTask(className).run({
    label: className.split('.').pop()!, config, dataId: options.dataId, inputs: options.inputs, log: createSilentLogger(),
  });
  const expected = Object.entries(entry.connections).filter(([, c]) => c.kind === 'output' && isEnabled(c.when, config)).map(([n]) => n).sort();
  expect(Object.keys(outputs).sort()).toEqual(expected);
  const decoded: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(outputs)) {
    const single = value as OutputDataset;
    const storageClass = entry.connections[name]!.storageClass;
    const { bytes } = writeDataset(storageClass, single.value);
    decoded[name] = decodeDataset(storageClass, bytes, `${className}:${name}`);
  }
  return decoded;
}
