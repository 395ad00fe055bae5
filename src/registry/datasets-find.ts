import { ConflictError, InvalidInputError } from '../errors/index.js';
import { flattenCollections, getCollectionById } from './collections.js';
import { chunk, type CollectionRecord, type RegistryContext, type StoredDatasetType } from './context.js';
import { dataIdKey, formatDataId, normalizeDataId } from './data-id.js';
import { formatTimespan, timespansOverlap, type DatasetRef, type Timespan } from './dataset-ref.js';
import { getDatasetType } from './dataset-types.js';
import { getSummaries } from './summaries.js';

/** Options of {@link findDatasets}. */
export interface FindDatasetsOptions {
  datasetType: string;
  /** Search path; chains are expanded in order. */
  collections: readonly string[];
  dataIds: readonly Readonly<Record<string, unknown>>[];
  /** For CALIBRATION collections: the timespan of each data ID (e.g. its exposure). */
  timespans?: readonly (Timespan | undefined)[];
}

interface Hit {
  id: string;
  data_id_key: string;
  run_id: number;
  validity_begin?: number | null;
  validity_end?: number | null;
}

/**
 * Find-first lookup: for each data ID, the dataset in the first collection of the search path
 * that has one (undefined when none does). Collections whose summary lacks the type are skipped
 * without a query.
 */
export async function findDatasets(ctx: RegistryContext, options: FindDatasetsOptions): Promise<(DatasetRef | undefined)[]> {
  const datasetType = await getDatasetType(ctx, options.datasetType);
  const group = ctx.universe.group(datasetType.dimensions);
  const dataIds = options.dataIds.map((d) => normalizeDataId(group, d));
  const keys = dataIds.map((d) => dataIdKey(datasetType.dimensions, d));
  const results: (DatasetRef | undefined)[] = new Array(dataIds.length).fill(undefined);
  const pending = new Map<string, number[]>();
  keys.forEach((k, i) => pending.set(k, [...(pending.get(k) ?? []), i]));
  const collections = await flattenCollections(ctx, options.collections);
  const summaries = await getSummaries(ctx, collections.map((c) => c.id));
  for (const collection of collections) {
    if (pending.size === 0) break;
    if (!summaries.get(collection.id)?.datasetTypes.has(datasetType.id)) continue;
    for (const part of chunk([...pending.keys()], 1, ctx.traits.maxParameters - 10)) {
      const hits = await lookup(ctx, collection, datasetType, part);
      const byKey = new Map<string, Hit[]>();
      for (const h of hits) byKey.set(h.data_id_key, [...(byKey.get(h.data_id_key) ?? []), h]);
      for (const [key, candidates] of byKey) {
        for (const index of pending.get(key) ?? []) {
          const hit = collection.type === 'CALIBRATION' ? pickCalibration(candidates, options.timespans?.[index], datasetType, dataIds[index]!, collection) : candidates[0];
          if (hit) {
            const run = await getCollectionById(ctx, Number(hit.run_id));
            results[index] = { id: hit.id, datasetType: datasetType.name, dataId: dataIds[index]!, run: run.name };
          }
        }
        if ((pending.get(key) ?? []).every((i) => results[i] !== undefined)) pending.delete(key);
        else pending.set(key, (pending.get(key) ?? []).filter((i) => results[i] === undefined));
      }
    }
  }
  return results;
}

async function lookup(ctx: RegistryContext, collection: CollectionRecord, datasetType: StoredDatasetType, keys: readonly string[]): Promise<Hit[]> {
  if (collection.type === 'RUN') {
    return (await ctx.db
      .selectFrom('dataset')
      .select(['id', 'data_id_key', 'run_id'])
      .where('dataset_type_id', '=', datasetType.id)
      .where('run_id', '=', collection.id)
      .where('data_id_key', 'in', keys)
      .execute()) as Hit[];
  }
  const table = collection.type === 'TAGGED' ? 'dataset_tag' : 'dataset_calib';
  const extra = collection.type === 'CALIBRATION' ? ['m.validity_begin', 'm.validity_end'] : [];
  return (await ctx.db
    .selectFrom(`${table} as m`)
    .innerJoin('dataset as d', 'd.id', 'm.dataset_id')
    .select(['d.id as id', 'm.data_id_key as data_id_key', 'd.run_id as run_id', ...extra])
    .where('m.collection_id', '=', collection.id)
    .where('m.dataset_type_id', '=', datasetType.id)
    .where('m.data_id_key', 'in', keys)
    .execute()) as Hit[];
}

function pickCalibration(
  candidates: readonly Hit[],
  timespan: Timespan | undefined,
  datasetType: StoredDatasetType,
  dataId: Record<string, unknown>,
  collection: CollectionRecord,
): Hit | undefined {
  if (!timespan) {
    throw new InvalidInputError(`Looking up ${datasetType.name} ${formatDataId(dataId)} in CALIBRATION collection "${collection.name}" needs a timespan.`, {
      hint: 'Give the observation time of the data the calibration is for.',
    });
  }
  const matches = candidates.filter((c) => timespansOverlap({ begin: c.validity_begin ?? null, end: c.validity_end ?? null }, timespan));
  if (matches.length > 1) {
    throw new ConflictError(
      `${matches.length} ${datasetType.name} calibrations in "${collection.name}" are valid for ${formatDataId(dataId)} over ${formatTimespan(timespan)}.`,
      { hint: 'Certify non-overlapping validity ranges, or use a narrower timespan.' },
    );
  }
  return matches[0];
}
