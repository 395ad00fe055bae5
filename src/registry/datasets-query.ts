import type { SelectQueryBuilder } from 'kysely';
import { InvalidInputError } from '../errors/index.js';
import { flattenCollections, getCollectionById } from './collections.js';
import type { CollectionRecord, RegistryContext, StoredDatasetType } from './context.js';
import { coerceDimensionValue, type DataIdValue } from './data-id.js';
import type { DatasetRef } from './dataset-ref.js';
import { getSummaries } from './summaries.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySelect = SelectQueryBuilder<any, any, any>;

/**
 * Extends a dataset query: receives the builder over the dataset table (alias `d`, with the
 * data-ID columns named after their dimensions) and returns it with more joins or conditions.
 * This is where a compiled where-clause plugs in.
 */
export type DatasetQueryHook = (query: AnySelect, datasetType: StoredDatasetType) => AnySelect;

/** Options of {@link queryDatasets}. */
export interface QueryDatasetsOptions {
  datasetTypes: readonly StoredDatasetType[];
  collections: readonly string[];
  /** Keep only the first dataset per type and data ID along the search path. */
  findFirst?: boolean;
  /** Equality constraints on dimensions of the dataset types. */
  dataId?: Readonly<Record<string, unknown>>;
  where?: DatasetQueryHook;
  limit?: number;
}

/** Datasets of the given types in the given collections, in search order. */
export async function queryDatasets(ctx: RegistryContext, options: QueryDatasetsOptions): Promise<DatasetRef[]> {
  const collections = await flattenCollections(ctx, options.collections);
  const summaries = await getSummaries(ctx, collections.map((c) => c.id));
  const out: DatasetRef[] = [];
  for (const datasetType of options.datasetTypes) {
    const seen = new Set<string>();
    for (const collection of collections) {
      if (!summaries.get(collection.id)?.datasetTypes.has(datasetType.id)) continue;
      let q = baseQuery(ctx, collection, datasetType);
      for (const [dim, raw] of Object.entries(options.dataId ?? {})) {
        if (!datasetType.dimensions.includes(dim)) continue;
        q = q.where(`d.${dim}`, '=', coerceDimensionValue(ctx.universe, dim, raw));
      }
      if (options.where) q = options.where(q, datasetType);
      if (options.limit !== undefined) q = q.limit(options.limit - out.length);
      const rows = (await q.execute()) as Record<string, unknown>[];
      for (const row of rows) {
        const key = String(row['data_id_key']);
        if (options.findFirst && seen.has(key)) continue;
        seen.add(key);
        const run = await getCollectionById(ctx, Number(row['run_id']));
        const dataId: Record<string, DataIdValue> = {};
        for (const dim of datasetType.dimensions) dataId[dim] = row[dim] as DataIdValue;
        out.push({ id: String(row['id']), datasetType: datasetType.name, dataId, run: run.name });
      }
      if (options.limit !== undefined && out.length >= options.limit) return out;
    }
  }
  return out;
}

function baseQuery(ctx: RegistryContext, collection: CollectionRecord, datasetType: StoredDatasetType): AnySelect {
  const cols = ['d.id as id', 'd.data_id_key as data_id_key', 'd.run_id as run_id', ...datasetType.dimensions.map((dim) => `d.${dim} as ${dim}`)];
  if (collection.type === 'RUN') {
    return ctx.db.selectFrom('dataset as d').select(cols).where('d.dataset_type_id', '=', datasetType.id).where('d.run_id', '=', collection.id).orderBy('d.data_id_key');
  }
  if (collection.type === 'CHAINED') throw new InvalidInputError('internal: chains must be flattened');
  const table = collection.type === 'TAGGED' ? 'dataset_tag' : 'dataset_calib';
  return ctx.db
    .selectFrom(`${table} as m`)
    .innerJoin('dataset as d', 'd.id', 'm.dataset_id')
    .select(cols)
    .where('m.collection_id', '=', collection.id)
    .where('m.dataset_type_id', '=', datasetType.id)
    .orderBy('d.data_id_key');
}
