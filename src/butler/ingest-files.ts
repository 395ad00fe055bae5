import { makeUuid7 } from '../util/index.js';
import type { TransferMode, PlacedArtifact } from '../datastore/index.js';
import { ConflictError } from '../errors/index.js';
import { dataIdKey, formatDataId, type DatasetRef } from '../registry/index.js';
import type { Butler } from './butler.js';
import { formatterForPath } from './storage-classes.js';

/** One file to ingest and its data ID. */
export interface FileToIngest {
  readonly path: string;
  readonly dataId: Readonly<Record<string, unknown>>;
}

/** Options of {@link ingestFiles}. */
export interface IngestFilesOptions {
  datasetType: string;
  run: string;
  files: readonly FileToIngest[];
  transfer: TransferMode;
  formatter?: string;
}

/**
 * Ingests existing files as datasets of one type into a run (created if needed). All or nothing:
 * if any file or registry insert fails, placed files are taken back and the registry is unchanged.
 */
export async function ingestFiles(butler: Butler, options: IngestFilesOptions): Promise<DatasetRef[]> {
  const datasetType = await butler.registry.getDatasetType(options.datasetType);
  const group = butler.registry.universe.group(datasetType.dimensions);
  const planned: DatasetRef[] = [];
  const placed: PlacedArtifact[] = [];
  const runExists = (await butler.registry.findCollection(options.run)) !== undefined;
  await checkNoDuplicates(butler, options, runExists);
  try {
    for (const file of options.files) {
      const expanded = await butler.registry.expandDataId(datasetType.dimensions, file.dataId);
      const dataId = Object.fromEntries(group.required.map((d) => [d, expanded.dataId[d]!]));
      const ref: DatasetRef = { id: makeUuid7(), datasetType: datasetType.name, dataId, run: options.run };
      planned.push(ref);
      placed.push(
        await butler.datastore.ingest({
          source: file.path,
          fields: { run: options.run, datasetType: datasetType.name, dataId: expanded.dataId, records: expanded.records },
          storageClass: datasetType.storageClass,
          formatter: options.formatter ?? formatterForPath(file.path),
          mode: options.transfer,
        }),
      );
    }
  } catch (err) {
    for (const p of placed.reverse()) await p.undo().catch(() => undefined);
    throw err;
  }
  return butler.commitArtifacts(placed, async (registry) => {
    if (!runExists) await registry.registerRun(options.run);
    const refs = await registry.insertDatasets({ datasetType: datasetType.name, run: options.run, dataIds: planned.map((r) => r.dataId), ids: planned.map((r) => r.id) });
    await registry.insertDatastoreRecords(placed.map((p, i) => ({ datasetId: planned[i]!.id, ...p.artifact })));
    return refs;
  });
}

/** Refuses, before any file moves, data IDs given twice or already present in the run. */
async function checkNoDuplicates(butler: Butler, options: IngestFilesOptions, runExists: boolean): Promise<void> {
  const datasetType = await butler.registry.getDatasetType(options.datasetType);
  const group = butler.registry.universe.group(datasetType.dimensions);
  const seen = new Map<string, string>();
  for (const file of options.files) {
    const key = dataIdKey(group.required, file.dataId as Record<string, string | number>);
    const other = seen.get(key);
    if (other !== undefined) {
      throw new ConflictError(`Files "${other}" and "${file.path}" have the same ${datasetType.name} data ID ${formatDataId(file.dataId)}.`, { hint: 'Each dataset of a type needs its own data ID within a run.' });
    }
    seen.set(key, file.path);
  }
  if (!runExists) return;
  const found = await butler.registry.findDatasets({ datasetType: datasetType.name, collections: [options.run], dataIds: options.files.map((f) => f.dataId) });
  const index = found.findIndex((r) => r !== undefined);
  if (index >= 0) {
    throw new ConflictError(`A ${datasetType.name} dataset with data ID ${formatDataId(found[index]!.dataId)} exists in run "${options.run}" already (id ${found[index]!.id}); file "${options.files[index]!.path}" was not ingested.`, {
      hint: 'Ingest into a new run, or remove the old dataset first (prune-datasets --purge RUN).',
    });
  }
}
