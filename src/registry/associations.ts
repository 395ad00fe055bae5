import { ConflictError, InvalidInputError } from '../errors/index.js';
import { getCollection } from './collections.js';
import { chunk, type RegistryContext } from './context.js';
import { dataIdKey, formatDataId } from './data-id.js';
import { formatTimespan, timespansOverlap, type DatasetRef, type Timespan } from './dataset-ref.js';
import { getDatasetType } from './dataset-types.js';
import { updateSummaries } from './summaries.js';

/**
 * Tags datasets into a TAGGED collection. A different dataset of the same type and data ID
 * already there is a ConflictError; the same dataset again is a no-op.
 */
export async function associateDatasets(ctx: RegistryContext, collectionName: string, refs: readonly DatasetRef[]): Promise<void> {
  const collection = await getCollection(ctx, collectionName, 'TAGGED');
  for (const [typeName, group] of groupByType(refs)) {
    const datasetType = await getDatasetType(ctx, typeName);
    const rows = group.map((r) => ({ collection_id: collection.id, dataset_id: r.id, dataset_type_id: datasetType.id, data_id_key: dataIdKey(datasetType.dimensions, r.dataId) }));
    for (const part of chunk(rows, 1, ctx.traits.maxParameters - 10)) {
      const existing = (await ctx.db
        .selectFrom('dataset_tag')
        .select(['dataset_id', 'data_id_key'])
        .where('collection_id', '=', collection.id)
        .where('dataset_type_id', '=', datasetType.id)
        .where('data_id_key', 'in', part.map((r) => r.data_id_key))
        .execute()) as { dataset_id: string; data_id_key: string }[];
      const have = new Map(existing.map((e) => [e.data_id_key, e.dataset_id]));
      const fresh = part.filter((r) => {
        const other = have.get(r.data_id_key);
        if (other !== undefined && other !== r.dataset_id) {
          const ref = group.find((g) => g.id === r.dataset_id)!;
          throw new ConflictError(`TAGGED collection "${collectionName}" already holds another ${typeName} for ${formatDataId(ref.dataId)} (id ${other}).`, {
            hint: 'Disassociate the other dataset first.',
          });
        }
        return other === undefined;
      });
      for (const p of chunk(fresh, 4, ctx.traits.maxParameters)) if (p.length) await ctx.db.insertInto('dataset_tag').values(p).execute();
    }
    await updateSummaries(ctx, collection.id, datasetType.id, group.map((r) => r.dataId));
  }
}

/** Removes datasets from a TAGGED collection. */
export async function disassociateDatasets(ctx: RegistryContext, collectionName: string, refs: readonly DatasetRef[]): Promise<void> {
  const collection = await getCollection(ctx, collectionName, 'TAGGED');
  for (const part of chunk(refs.map((r) => r.id), 1, ctx.traits.maxParameters - 10)) {
    await ctx.db.deleteFrom('dataset_tag').where('collection_id', '=', collection.id).where('dataset_id', 'in', part).execute();
  }
}

/**
 * Certifies calibration datasets into a CALIBRATION collection over a validity range.
 * Overlapping ranges for the same type and data ID are refused (abutting ranges are fine).
 */
export async function certifyDatasets(ctx: RegistryContext, collectionName: string, refs: readonly DatasetRef[], timespan: Timespan): Promise<void> {
  const collection = await getCollection(ctx, collectionName, 'CALIBRATION');
  if (timespan.begin !== null && timespan.end !== null && timespan.end <= timespan.begin) {
    throw new InvalidInputError(`Validity range ${formatTimespan(timespan)} is empty: it must end after it begins.`);
  }
  for (const [typeName, group] of groupByType(refs)) {
    const datasetType = await getDatasetType(ctx, typeName);
    if (!datasetType.isCalibration) {
      throw new InvalidInputError(`Dataset type "${typeName}" is not a calibration type and cannot be certified.`, {
        hint: 'Register it with isCalibration (register-dataset-type --is-calibration).',
      });
    }
    const keyed = group.map((r) => ({ ref: r, key: dataIdKey(datasetType.dimensions, r.dataId) }));
    const seen = new Set<string>();
    for (const k of keyed) {
      if (seen.has(k.key)) throw overlapError(typeName, k.ref, collectionName, timespan, timespan);
      seen.add(k.key);
    }
    for (const part of chunk(keyed, 1, ctx.traits.maxParameters - 10)) {
      const existing = (await ctx.db
        .selectFrom('dataset_calib')
        .select(['data_id_key', 'validity_begin', 'validity_end'])
        .where('collection_id', '=', collection.id)
        .where('dataset_type_id', '=', datasetType.id)
        .where('data_id_key', 'in', part.map((k) => k.key))
        .execute()) as { data_id_key: string; validity_begin: number | null; validity_end: number | null }[];
      for (const e of existing) {
        const other = { begin: e.validity_begin === null ? null : Number(e.validity_begin), end: e.validity_end === null ? null : Number(e.validity_end) };
        if (timespansOverlap(other, timespan)) {
          const ref = part.find((k) => k.key === e.data_id_key)!.ref;
          throw overlapError(typeName, ref, collectionName, timespan, other);
        }
      }
    }
    const rows = keyed.map((k) => ({
      collection_id: collection.id,
      dataset_id: k.ref.id,
      dataset_type_id: datasetType.id,
      data_id_key: k.key,
      validity_begin: timespan.begin,
      validity_end: timespan.end,
    }));
    for (const p of chunk(rows, 6, ctx.traits.maxParameters)) await ctx.db.insertInto('dataset_calib').values(p).execute();
    await updateSummaries(ctx, collection.id, datasetType.id, group.map((r) => r.dataId));
  }
}

function overlapError(typeName: string, ref: DatasetRef, collection: string, wanted: Timespan, existing: Timespan): ConflictError {
  return new ConflictError(
    `Certifying ${typeName} ${formatDataId(ref.dataId)} in "${collection}" over ${formatTimespan(wanted)} overlaps an existing certification over ${formatTimespan(existing)}.`,
    { hint: 'Choose a validity range that does not overlap (abutting ranges are allowed), or decertify the old one first.' },
  );
}

function groupByType(refs: readonly DatasetRef[]): Map<string, DatasetRef[]> {
  const out = new Map<string, DatasetRef[]>();
  for (const r of refs) out.set(r.datasetType, [...(out.get(r.datasetType) ?? []), r]);
  return out;
}

/** Certifications in a CALIBRATION collection: dataset id and validity range. */
export async function listCertifications(ctx: RegistryContext, collectionName: string): Promise<{ datasetId: string; timespan: Timespan }[]> {
  const collection = await getCollection(ctx, collectionName, 'CALIBRATION');
  const rows = (await ctx.db
    .selectFrom('dataset_calib')
    .select(['dataset_id', 'validity_begin', 'validity_end'])
    .where('collection_id', '=', collection.id)
    .orderBy('calib_id')
    .execute()) as { dataset_id: string; validity_begin: number | null; validity_end: number | null }[];
  return rows.map((r) => ({
    datasetId: r.dataset_id,
    timespan: { begin: r.validity_begin === null ? null : Number(r.validity_begin), end: r.validity_end === null ? null : Number(r.validity_end) },
  }));
}

/** Datasets by id, with their type, data ID and run. */
export async function getDatasetsById(ctx: RegistryContext, ids: readonly string[]): Promise<Map<string, DatasetRef>> {
  const out = new Map<string, DatasetRef>();
  for (const part of chunk(ids, 1, ctx.traits.maxParameters - 10)) {
    const rows = (await ctx.db
      .selectFrom('dataset as d')
      .innerJoin('dataset_type as t', 't.dataset_type_id', 'd.dataset_type_id')
      .innerJoin('collection as c', 'c.collection_id', 'd.run_id')
      .selectAll('d')
      .select(['t.name as type_name', 't.dimensions as type_dimensions', 'c.name as run_name'])
      .where('d.id', 'in', part)
      .execute()) as Record<string, unknown>[];
    for (const r of rows) {
      const dims = String(r['type_dimensions']).split(',').filter((d) => d !== '');
      const dataId = Object.fromEntries(dims.map((d) => [d, r[d] as string | number]));
      out.set(String(r['id']), { id: String(r['id']), datasetType: String(r['type_name']), dataId, run: String(r['run_name']) });
    }
  }
  return out;
}
