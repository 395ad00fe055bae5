import { chunk, type RegistryContext } from './context.js';
import type { DataId } from './data-id.js';

/** Records that a collection holds datasets of a type, and which governor values they use. */
export async function updateSummaries(ctx: RegistryContext, collectionId: number, datasetTypeId: number, dataIds: readonly DataId[]): Promise<void> {
  await ctx.db
    .insertInto('collection_summary_dataset_type')
    .values({ collection_id: collectionId, dataset_type_id: datasetTypeId })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const governors = ctx.universe.dimensionNames.filter((d) => ctx.universe.isGovernor(d));
  const values = new Map<string, { collection_id: number; governor: string; value: string }>();
  for (const d of dataIds) {
    for (const g of governors) {
      const v = d[g];
      if (v !== undefined) values.set(`${g}\u0000${v}`, { collection_id: collectionId, governor: g, value: String(v) });
    }
  }
  for (const part of chunk([...values.values()], 3, ctx.traits.maxParameters)) {
    await ctx.db.insertInto('collection_summary_governor').values(part).onConflict((oc) => oc.doNothing()).execute();
  }
}

/** What a collection (chains: their children, recursively) may hold. */
export interface CollectionSummary {
  readonly datasetTypes: ReadonlySet<number>;
  readonly governors: ReadonlyMap<string, ReadonlySet<string>>;
}

/** The summary of non-chained collections, by collection id. */
export async function getSummaries(ctx: RegistryContext, collectionIds: readonly number[]): Promise<Map<number, CollectionSummary>> {
  const out = new Map<number, { datasetTypes: Set<number>; governors: Map<string, Set<string>> }>();
  for (const id of collectionIds) out.set(id, { datasetTypes: new Set(), governors: new Map() });
  if (collectionIds.length === 0) return out;
  const types = (await ctx.db
    .selectFrom('collection_summary_dataset_type')
    .select(['collection_id', 'dataset_type_id'])
    .where('collection_id', 'in', collectionIds)
    .execute()) as { collection_id: number; dataset_type_id: number }[];
  for (const r of types) out.get(Number(r.collection_id))?.datasetTypes.add(Number(r.dataset_type_id));
  const govs = (await ctx.db
    .selectFrom('collection_summary_governor')
    .select(['collection_id', 'governor', 'value'])
    .where('collection_id', 'in', collectionIds)
    .execute()) as { collection_id: number; governor: string; value: string }[];
  for (const r of govs) {
    const s = out.get(Number(r.collection_id));
    if (!s) continue;
    const set = s.governors.get(r.governor) ?? new Set<string>();
    set.add(r.value);
    s.governors.set(r.governor, set);
  }
  return out;
}
