import { formatForStorageClass, type Butler } from '../butler/index.js';
import { writeInitOutputs } from '../exec/index.js';
import type { QuantumGraphHeader } from '../graph/index.js';
import type { Registry } from '../registry/index.js';

/**
 * Prepares a run before any job starts: registers the graph's dataset types, the output run
 * and the output chain `[run, ...inputs]`, and writes the init-outputs (configs, schemas,
 * packages). Running it twice is harmless; a different config for the same run is refused.
 */
export async function preExecInit(butler: Butler, header: QuantumGraphHeader): Promise<{ initOutputs: number }> {
  await butler.registry.transaction(async (registry) => {
    await registerGraphDatasetTypes(registry, header);
    await registry.registerRun(header.outputRun);
    await updateOutputChain(registry, header);
  });
  const written = await writeInitOutputs(header, butler.datastore);
  return { initOutputs: written.length };
}

/**
 * Makes the output collection a chain starting with the output run, followed by the inputs
 * (kept as they are when the chain already lists the run).
 */
export async function updateOutputChain(registry: Registry, header: QuantumGraphHeader): Promise<void> {
  if (!header.outputCollection || header.outputCollection === header.outputRun) return;
  const existing = await registry.findCollection(header.outputCollection);
  if (!existing) await registry.registerCollection(header.outputCollection, 'CHAINED');
  const current = existing ? await registry.getCollectionChain(header.outputCollection) : [];
  if (current.includes(header.outputRun)) return;
  const rest = current.length > 0 ? current : [...header.inputCollections];
  await registry.setCollectionChain(header.outputCollection, [header.outputRun, ...rest.filter((c) => c !== header.outputRun)]);
}

/** Formatter recorded for files written by tasks. */
export function formatterOf(storageClass: string): string {
  return formatForStorageClass(storageClass).formatter;
}

/** Registers every dataset type a graph reads or writes, init-outputs and `packages` included. */
export async function registerGraphDatasetTypes(registry: Registry, header: QuantumGraphHeader): Promise<void> {
  const types = new Map(header.datasetTypes.map((t) => [t.name, { name: t.name, dimensions: t.dimensions, storageClass: t.storageClass, isCalibration: t.isCalibration }]));
  for (const task of header.tasks) {
    for (const [connection, ref] of Object.entries(task.initOutputs)) {
      if (!types.has(ref.datasetType)) types.set(ref.datasetType, { name: ref.datasetType, dimensions: [], storageClass: connection === '_config' ? 'Config' : (task.storageClasses[connection] ?? 'StructuredDataDict'), isCalibration: false });
    }
  }
  for (const ref of header.globalInitOutputs) {
    if (!types.has(ref.datasetType)) types.set(ref.datasetType, { name: ref.datasetType, dimensions: [], storageClass: 'Packages', isCalibration: false });
  }
  for (const t of types.values()) await registry.registerDatasetType(t);
}
