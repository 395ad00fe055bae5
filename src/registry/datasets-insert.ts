import { ConflictError } from '../errors/index.js';
import { makeUuid7, isUuid } from '../util/index.js';
import { getCollection } from './collections.js';
import { chunk, type RegistryContext, type StoredDatasetType } from './context.js';
import { dataIdKey, formatDataId, normalizeDataId, type DataId } from './data-id.js';
import type { DatasetRef } from './dataset-ref.js';
import { getDatasetType } from './dataset-types.js';
import { checkDimensionRecordsExist } from './dimension-check.js';
import { updateSummaries } from './summaries.js';

/** Options of {@link insertDatasets}. */
export interface InsertDatasetsOptions {
  datasetType: string;
  run: string;
  dataIds: readonly Readonly<Record<string, unknown>>[];
  /** Ids to use (import); new UUIDv7 ids otherwise. */
  ids?: readonly string[];
}

/**
 * Adds datasets of one type to a RUN collection. A data ID that already has a dataset of this
 * type in the run is a ConflictError naming it; nothing is inserted then.
 */
export async function insertDatasets(ctx: RegistryContext, options: InsertDatasetsOptions): Promise<DatasetRef[]> {
  const datasetType = await getDatasetType(ctx, options.datasetType);
  const run = await getCollection(ctx, options.run, 'RUN');
  const group = ctx.universe.group(datasetType.dimensions);
  const dataIds = options.dataIds.map((d) => normalizeDataId(group, d, `data ID of ${datasetType.name}`));
  const required = datasetType.dimensions;
  const keys = dataIds.map((d) => dataIdKey(required, d));
  const seen = new Map<string, number>();
  keys.forEach((k, i) => {
    if (seen.has(k)) throw duplicateError(datasetType, dataIds[i]!, run.name, 'twice in this request');
    seen.set(k, i);
  });
  const ids = options.ids ?? dataIds.map(() => makeUuid7());
  for (const id of ids) {
    if (!isUuid(id)) throw new ConflictError(`Dataset id "${id}" is not a UUID.`, { hint: 'Dataset ids are UUIDs such as 0190f0a2-...' });
  }
  await checkDimensionRecordsExist(ctx, required, dataIds);
  for (const part of chunk(keys, 1, ctx.traits.maxParameters - 10)) {
    const existing = (await ctx.db
      .selectFrom('dataset')
      .select(['data_id_key', 'id'])
      .where('dataset_type_id', '=', datasetType.id)
      .where('run_id', '=', run.id)
      .where('data_id_key', 'in', part)
      .limit(1)
      .execute()) as { data_id_key: string; id: string }[];
    const hit = existing[0];
    if (hit) throw duplicateError(datasetType, dataIds[seen.get(hit.data_id_key)!]!, run.name, `already (id ${hit.id})`);
  }
  const now = Date.now() * 1000;
  const rows = dataIds.map((d, i) => {
    const row: Record<string, unknown> = { id: ids[i], dataset_type_id: datasetType.id, run_id: run.id, data_id_key: keys[i], ingest_date: now };
    for (const dim of required) row[dim] = d[dim];
    return row;
  });
  try {
    for (const part of chunk(rows, 5 + required.length, ctx.traits.maxParameters)) await ctx.db.insertInto('dataset').values(part).execute();
  } catch (err) {
    if (ctx.traits.isUniqueViolation(err)) {
      throw new ConflictError(`Some ${datasetType.name} datasets (or dataset ids) being inserted into run "${run.name}" already exist.`, {
        cause: err,
        hint: 'Another process may have inserted them at the same time; query the run to see what is there.',
      });
    }
    throw err;
  }
  await updateSummaries(ctx, run.id, datasetType.id, dataIds);
  return dataIds.map((d, i) => ({ id: ids[i]!, datasetType: datasetType.name, dataId: d, run: run.name }));
}

function duplicateError(datasetType: StoredDatasetType, dataId: DataId, run: string, how: string): ConflictError {
  return new ConflictError(`A ${datasetType.name} dataset with data ID ${formatDataId(dataId)} exists in run "${run}" ${how}.`, {
    hint: 'A RUN holds one dataset per dataset type and data ID: write to a new run, or remove the old dataset (prune-datasets --purge).',
  });
}
