import { chunk, type RegistryContext } from './context.js';

/** Rows of the datastore table for datasets about to be deleted (so files can be removed). */
export interface RemovedArtifact {
  readonly datasetId: string;
  readonly path: string;
}

/** Deletes datasets (and their tags, certifications and datastore records) by id. */
export async function deleteDatasets(ctx: RegistryContext, ids: readonly string[]): Promise<RemovedArtifact[]> {
  const artifacts: RemovedArtifact[] = [];
  for (const part of chunk(ids, 1, ctx.traits.maxParameters - 10)) {
    const rows = (await ctx.db.selectFrom('datastore_record').select(['dataset_id', 'path']).where('dataset_id', 'in', part).execute()) as {
      dataset_id: string;
      path: string;
    }[];
    for (const r of rows) artifacts.push({ datasetId: r.dataset_id, path: r.path });
    await ctx.db.deleteFrom('datastore_record').where('dataset_id', 'in', part).execute();
    await ctx.db.deleteFrom('dataset_tag').where('dataset_id', 'in', part).execute();
    await ctx.db.deleteFrom('dataset_calib').where('dataset_id', 'in', part).execute();
    await ctx.db.deleteFrom('dataset').where('id', 'in', part).execute();
  }
  return artifacts;
}

/** Ids of every dataset in RUN collection `runId`. */
export async function datasetIdsInRun(ctx: RegistryContext, runId: number): Promise<string[]> {
  const rows = (await ctx.db.selectFrom('dataset').select('id').where('run_id', '=', runId).execute()) as { id: string }[];
  return rows.map((r) => r.id);
}
