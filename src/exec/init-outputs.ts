import { readFile } from 'node:fs/promises';
import { ConflictError } from '../errors/index.js';
import { writeAtomic, type FileDatastore } from '../datastore/index.js';
import type { GraphDatasetRef, QuantumGraphHeader } from '../graph/index.js';
import { getBuiltinTask, writeDataset, type BuiltinTask } from '../tasks/index.js';
import { softwareVersion } from './software.js';

/** An init-output written (or found identical) by {@link writeInitOutputs}. */
export interface WrittenInitOutput {
  readonly ref: GraphDatasetRef;
  readonly size: number;
}

/**
 * Writes the run's init-outputs once: each task's `<label>_config`, the schemas its task
 * class declares, and the global `packages`. A file already there must hold the same bytes
 * (same config, same software): otherwise the run was started with something else, which is
 * a ConflictError naming the dataset.
 */
export async function writeInitOutputs(header: QuantumGraphHeader, datastore: FileDatastore): Promise<WrittenInitOutput[]> {
  const written: WrittenInitOutput[] = [];
  for (const task of header.tasks) {
    const made = tryBuiltin(task.taskClass)?.makeInitOutputs?.({ label: task.label, config: task.config as never }) ?? {};
    for (const [connection, ref] of Object.entries(task.initOutputs)) {
      const value = connection === '_config' ? task.config : made[connection];
      if (value === undefined) continue;
      const storageClass = connection === '_config' ? 'Config' : (task.storageClasses[connection] ?? 'StructuredDataDict');
      written.push(await writeOnce(datastore, ref, writeDataset(storageClass, value).bytes));
    }
  }
  for (const ref of header.globalInitOutputs) {
    written.push(await writeOnce(datastore, ref, writeDataset('Packages', { 'bps-ts': softwareVersion(), node: process.version }).bytes));
  }
  return written;
}

async function writeOnce(datastore: FileDatastore, ref: GraphDatasetRef, bytes: Uint8Array): Promise<WrittenInitOutput> {
  if (ref.path === undefined) throw new ConflictError(`init-output ${ref.datasetType} has no path in the graph`);
  const path = datastore.absolutePath(ref.path);
  const existing = await readFile(path).catch(() => undefined);
  if (existing !== undefined) {
    if (!Buffer.from(bytes).equals(existing)) {
      throw new ConflictError(`${ref.datasetType} in run "${ref.run}" (${path}) differs from what this graph would write.`, {
        hint: 'The run was started with another config or software version: use a new output run, or --replace-run.',
      });
    }
    return { ref, size: existing.byteLength };
  }
  await writeAtomic(path, bytes);
  return { ref, size: bytes.byteLength };
}

function tryBuiltin(className: string): BuiltinTask | undefined {
  try {
    return getBuiltinTask(className);
  } catch {
    return undefined;
  }
}
