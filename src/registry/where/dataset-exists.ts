import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { CollectionRecord, RegistryContext, StoredDatasetType } from '../context.js';
import type { AnySelect } from '../datasets-query.js';
import { getSummaries } from '../summaries.js';
import type { ColumnSource } from './column-source.js';

/** Options of {@link buildDatasetExists}. */
export interface DatasetExistsOptions {
  readonly datasetType: StoredDatasetType;
  /** Flattened search path (no chains). */
  readonly collections: readonly CollectionRecord[];
  /** Serves the dataset type's dimensions in the outer query. */
  readonly source: ColumnSource;
  /** Alias of the dataset table inside the subquery. */
  readonly alias: string;
}

/**
 * `EXISTS (a dataset of the type, with the outer row's data ID, in one of the collections)`:
 * RUN membership by `run_id`, TAGGED through `dataset_tag`, CALIBRATION through
 * `dataset_calib` (any validity range). Collections whose summary lacks the type are skipped.
 */
export async function buildDatasetExists(ctx: RegistryContext, options: DatasetExistsOptions): Promise<RawBuilder<SqlBool>> {
  const { datasetType, alias } = options;
  const summaries = await getSummaries(ctx, options.collections.map((c) => c.id));
  const holding = options.collections.filter((c) => summaries.get(c.id)?.datasetTypes.has(datasetType.id));
  const ids = (type: CollectionRecord['type']): number[] => holding.filter((c) => c.type === type).map((c) => c.id);
  const membership: RawBuilder<SqlBool>[] = [];
  const runs = ids('RUN');
  if (runs.length > 0) membership.push(sql<SqlBool>`${sql.ref(`${alias}.run_id`)} IN (${sql.join(runs)})`);
  for (const [table, type] of [['dataset_tag', 'TAGGED'], ['dataset_calib', 'CALIBRATION']] as const) {
    const members = ids(type);
    if (members.length === 0) continue;
    const m = `${alias}_${type === 'TAGGED' ? 'tag' : 'calib'}`;
    const sub = ctx.db
      .selectFrom(`${table} as ${m}`)
      .select(sql`1`.as('one'))
      .where(`${m}.collection_id`, 'in', members)
      .whereRef(`${m}.dataset_id`, '=', `${alias}.id`);
    membership.push(sql<SqlBool>`EXISTS ${sub}`);
  }
  if (membership.length === 0) return sql<SqlBool>`(1 = 0)`;
  let query: AnySelect = ctx.db
    .selectFrom(`dataset as ${alias}`)
    .select(sql`1`.as('one'))
    .where(`${alias}.dataset_type_id`, '=', datasetType.id);
  for (const dim of datasetType.dimensions) {
    const outer = options.source.dimension(dim);
    if (outer === undefined) throw new Error(`internal: dimension ${dim} of ${datasetType.name} is not in the data-ID query`);
    query = query.where(sql<SqlBool>`${sql.ref(`${alias}.${dim}`)} = ${outer}`);
  }
  query = query.where(sql<SqlBool>`(${sql.join(membership, sql` OR `)})`);
  return sql<SqlBool>`EXISTS ${query}`;
}
