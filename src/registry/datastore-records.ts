import { chunk, type RegistryContext } from './context.js';

/** Where and how a dataset's file is stored, relative to the datastore root. */
export interface StoredFileRecord {
  readonly datasetId: string;
  /** Path relative to the datastore root, or an absolute path/URI for `direct` ingest. */
  readonly path: string;
  readonly formatter: string;
  readonly storageClass: string;
  readonly fileSize: number | null;
  readonly checksum: string | null;
}

/** Inserts datastore records (one per dataset). */
export async function insertDatastoreRecords(ctx: RegistryContext, records: readonly StoredFileRecord[]): Promise<void> {
  const rows = records.map((r) => ({
    dataset_id: r.datasetId,
    path: r.path,
    formatter: r.formatter,
    storage_class: r.storageClass,
    file_size: r.fileSize,
    checksum: r.checksum,
  }));
  for (const part of chunk(rows, 6, ctx.traits.maxParameters)) await ctx.db.insertInto('datastore_record').values(part).execute();
}

/** Datastore records of the given datasets, by dataset id. */
export async function getDatastoreRecords(ctx: RegistryContext, ids: readonly string[]): Promise<Map<string, StoredFileRecord>> {
  const out = new Map<string, StoredFileRecord>();
  for (const part of chunk(ids, 1, ctx.traits.maxParameters - 10)) {
    const rows = (await ctx.db.selectFrom('datastore_record').selectAll().where('dataset_id', 'in', part).execute()) as Record<string, unknown>[];
    for (const r of rows) {
      out.set(String(r['dataset_id']), {
        datasetId: String(r['dataset_id']),
        path: String(r['path']),
        formatter: String(r['formatter']),
        storageClass: String(r['storage_class']),
        fileSize: r['file_size'] === null ? null : Number(r['file_size']),
        checksum: (r['checksum'] as string | null) ?? null,
      });
    }
  }
  return out;
}

/** Deletes the datastore records of datasets (their files are removed by the caller). */
export async function removeDatastoreRecords(ctx: RegistryContext, ids: readonly string[]): Promise<void> {
  for (const part of chunk(ids, 1, ctx.traits.maxParameters - 10)) await ctx.db.deleteFrom('datastore_record').where('dataset_id', 'in', part).execute();
}
