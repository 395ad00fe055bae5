import { ConflictError } from '../errors/index.js';
import type { RegistryContext, StoredDatasetType } from './context.js';
import { globToRegExp, notFound, validateDatasetTypeName } from './names.js';

/** A dataset type as the user defines it. */
export interface DatasetTypeDefinition {
  readonly name: string;
  /** Dimension names; expanded to the universe's required dimensions. */
  readonly dimensions: readonly string[];
  readonly storageClass: string;
  readonly isCalibration?: boolean;
}

interface DatasetTypeRow {
  dataset_type_id: number;
  name: string;
  dimensions: string;
  storage_class: string;
  is_calibration: number;
}

function toStored(row: DatasetTypeRow): StoredDatasetType {
  return {
    id: Number(row.dataset_type_id),
    name: row.name,
    dimensions: row.dimensions === '' ? [] : row.dimensions.split(','),
    storageClass: row.storage_class,
    isCalibration: Number(row.is_calibration) === 1,
  };
}

/** `name(instrument, visit) StructuredDataDict` style text, for messages and tables. */
export function describeDatasetType(t: { name: string; dimensions: readonly string[]; storageClass: string; isCalibration?: boolean }): string {
  return `${t.name}(${t.dimensions.join(', ')}) storageClass=${t.storageClass}${t.isCalibration ? ' isCalibration=true' : ''}`;
}

/**
 * Registers a dataset type. Registering an identical definition again returns `created: false`;
 * a different definition under the same name is a ConflictError naming both.
 */
export async function registerDatasetType(ctx: RegistryContext, def: DatasetTypeDefinition): Promise<{ datasetType: StoredDatasetType; created: boolean }> {
  validateDatasetTypeName(def.name);
  const required = [...ctx.universe.group(def.dimensions).required];
  const wanted = { name: def.name, dimensions: required, storageClass: def.storageClass, isCalibration: def.isCalibration ?? false };
  const existing = await findDatasetType(ctx, def.name);
  if (existing) {
    const same =
      existing.dimensions.join(',') === required.join(',') &&
      existing.storageClass === wanted.storageClass &&
      existing.isCalibration === wanted.isCalibration;
    if (!same) {
      throw new ConflictError(
        `Dataset type "${def.name}" is already registered as ${describeDatasetType(existing)}; the new definition is ${describeDatasetType(wanted)}.`,
        { hint: 'Use the registered definition, or a different dataset type name.' },
      );
    }
    return { datasetType: existing, created: false };
  }
  const row = (await ctx.db
    .insertInto('dataset_type')
    .values({ name: def.name, dimensions: required.join(','), storage_class: def.storageClass, is_calibration: wanted.isCalibration ? 1 : 0 })
    .returning(['dataset_type_id', 'name', 'dimensions', 'storage_class', 'is_calibration'])
    .executeTakeFirstOrThrow()) as DatasetTypeRow;
  const stored = toStored(row);
  ctx.caches.datasetTypes.set(stored.name, stored);
  return { datasetType: stored, created: true };
}

/** The dataset type called `name`, or undefined. */
export async function findDatasetType(ctx: RegistryContext, name: string): Promise<StoredDatasetType | undefined> {
  const cached = ctx.caches.datasetTypes.get(name);
  if (cached) return cached;
  const row = (await ctx.db.selectFrom('dataset_type').selectAll().where('name', '=', name).executeTakeFirst()) as DatasetTypeRow | undefined;
  if (!row) return undefined;
  const stored = toStored(row);
  ctx.caches.datasetTypes.set(name, stored);
  return stored;
}

/** The dataset type called `name`, or a NotFoundError suggesting the closest registered name. */
export async function getDatasetType(ctx: RegistryContext, name: string): Promise<StoredDatasetType> {
  const found = await findDatasetType(ctx, name);
  if (found) return found;
  const all = await listDatasetTypes(ctx);
  throw notFound('Dataset type', name, all.map((t) => t.name), 'List registered dataset types with `butler-ts query-dataset-types REPO`.');
}

/** Registered dataset types matching any of the glob patterns (all when none), by name. */
export async function listDatasetTypes(ctx: RegistryContext, patterns: readonly string[] = []): Promise<StoredDatasetType[]> {
  const rows = (await ctx.db.selectFrom('dataset_type').selectAll().orderBy('name').execute()) as DatasetTypeRow[];
  const res = patterns.map(globToRegExp);
  return rows.map(toStored).filter((t) => res.length === 0 || res.some((re) => re.test(t.name)));
}

/** Removes a dataset type that has no datasets. */
export async function removeDatasetType(ctx: RegistryContext, name: string): Promise<void> {
  const t = await getDatasetType(ctx, name);
  const used = await ctx.db.selectFrom('dataset').select('id').where('dataset_type_id', '=', t.id).limit(1).executeTakeFirst();
  if (used) {
    throw new ConflictError(`Dataset type "${name}" still has datasets.`, { hint: 'Remove its datasets first (prune-datasets or remove-runs).' });
  }
  await ctx.db.deleteFrom('collection_summary_dataset_type').where('dataset_type_id', '=', t.id).execute();
  await ctx.db.deleteFrom('dataset_type').where('dataset_type_id', '=', t.id).execute();
  ctx.caches.datasetTypes.delete(name);
}
