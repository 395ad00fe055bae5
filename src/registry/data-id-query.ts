import { sql, type CompiledQuery, type Expression, type SqlBool } from 'kysely';
import { InvalidInputError } from '../errors/index.js';
import { parseWhereClause, WhereClauseError } from '../query/index.js';
import { flattenCollections } from './collections.js';
import type { RegistryContext, StoredDatasetType } from './context.js';
import { coerceDimensionValue, type DataIdValue } from './data-id.js';
import type { AnySelect } from './datasets-query.js';
import { getDatasetType } from './dataset-types.js';
import type { DimensionGroup } from './universe.js';
import type { BindValues } from './where/bind-values.js';
import type { ColumnRef } from './where/column-ref.js';
import { compileWhereTree } from './where/compile-where.js';
import { buildDatasetExists } from './where/dataset-exists.js';
import { planDimensionJoin, type JoinPlan } from './where/plan-dimension-join.js';
import { listReferencedDimensions, prepareWhereClause } from './where/prepare-where.js';
import { resolveIdentifier } from './where/resolve-identifier.js';
import { resolveSpatialTerms } from './where/resolve-spatial-terms.js';
import { getWhereDialect } from './where/where-dialect.js';

/** Options of {@link queryDataIds}. */
export interface QueryDataIdsOptions {
  /** Dimensions of the result rows (expanded to their group: implied values come along). */
  readonly dimensions: readonly string[];
  /** A where-clause in daf_butler's language. */
  readonly where?: string;
  readonly bind?: BindValues;
  /** Equality constraints (required or implied dimensions; others are added to the join). */
  readonly dataId?: Readonly<Record<string, unknown>>;
  /**
   * Keep only data IDs for which a dataset of every listed type exists in the collections
   * (their dimensions are joined too). `findFirst` does not change which data IDs exist.
   */
  readonly datasets?: { readonly types: readonly string[]; readonly collections: readonly string[]; readonly findFirst?: boolean };
  /**
   * Sort keys: dimension names or `element.field`, `-` in front for descending. Default: the
   * required dimensions ascending; `[]` for no ORDER BY (fastest).
   */
  readonly orderBy?: readonly string[];
  readonly limit?: number;
  readonly offset?: number;
}

/** A result row: every required and implied dimension of the group, typed. */
export type DataIdRow = Record<string, DataIdValue>;

/** A data-ID query built but not run: the SQL and what the rows hold. */
export interface BuiltDataIdQuery {
  readonly query: AnySelect;
  /** The group of the requested dimensions (result columns, in this order). */
  readonly group: DimensionGroup;
  /** The joined plan (may hold more dimensions than the result). */
  readonly plan: JoinPlan;
}

/**
 * Builds the single SQL statement of a data-ID query: one join over the element tables of
 * the dimensions (plus overlap tables when observation and skymap dimensions meet), the
 * where-clause, data-ID equalities, one `EXISTS` per dataset type, `DISTINCT` only when
 * dimensions outside the result had to be joined.
 */
export async function buildDataIdQuery(ctx: RegistryContext, options: QueryDataIdsOptions): Promise<BuiltDataIdQuery> {
  const universe = ctx.universe;
  const requested = universe.group(options.dimensions);
  const prepared = await resolveSpatialTerms(ctx, prepareWhereClause({ expression: options.where ?? '', bind: options.bind ?? {}, universe, dimensions: requested.names }));
  const datasetTypes: StoredDatasetType[] = [];
  for (const name of options.datasets?.types ?? []) datasetTypes.push(await getDatasetType(ctx, name));
  const dataId = Object.entries(options.dataId ?? {}).map(([k, v]) => [k, coerceDimensionValue(universe, k, v)] as const);
  const orderTerms = (options.orderBy ?? requested.required).map((term) => resolveOrderTerm(ctx, requested, term));
  const dimensions = [
    ...requested.names,
    ...listReferencedDimensions(universe, prepared.references),
    ...dataId.map(([k]) => k),
    ...datasetTypes.flatMap((t) => t.dimensions),
  ];
  const elements = [...prepared.references.elements, ...orderTerms.flatMap((t) => (t.ref.kind === 'dimension' || t.ref.kind === 'dataset' ? [] : [t.ref.element]))];
  const plan = planDimensionJoin(ctx, { dimensions, elements });
  const src = plan.source;
  let query = plan.query;
  if (prepared.tree !== null) {
    query = query.where(compileWhereTree({ tree: prepared.tree, scope: prepared.scope, source: src, dialect: getWhereDialect(ctx.traits) }));
  }
  for (const [k, v] of dataId) query = query.where(sql<SqlBool>`${dimensionExpression(src, k)} = ${v}`);
  if (options.datasets && datasetTypes.length > 0) {
    const collections = await flattenCollections(ctx, options.datasets.collections);
    for (const [i, datasetType] of datasetTypes.entries()) {
      query = query.where(await buildDatasetExists(ctx, { datasetType, collections, source: src, alias: `ds${i}` }));
    }
  }
  const distinct = !plan.group.required.every((d) => requested.names.includes(d));
  query = query.select(requested.names.map((d) => sql`${dimensionExpression(src, d)}`.as(d)));
  if (distinct) query = query.distinct();
  for (const [i, term] of orderTerms.entries()) {
    const expr = orderExpression(src, term.ref);
    if (distinct && term.ref.kind !== 'dimension') query = query.select(sql`${expr}`.as(`order_${i}`));
    query = query.orderBy(expr, term.descending ? 'desc' : 'asc');
  }
  if (options.limit !== undefined) query = query.limit(options.limit);
  if (options.offset !== undefined) query = (options.limit === undefined ? query.limit(Number.MAX_SAFE_INTEGER) : query).offset(options.offset);
  return { query, group: requested, plan };
}

/** Runs a data-ID query: every matching data ID, required then implied dimensions. */
export async function queryDataIds(ctx: RegistryContext, options: QueryDataIdsOptions): Promise<DataIdRow[]> {
  const built = await buildDataIdQuery(ctx, options);
  const rows = (await built.query.execute()) as Record<string, unknown>[];
  return rows.map((r) => toDataIdRow(built.group, r));
}

/** The SQL text and parameters a data-ID query would run (nothing is executed). */
export async function compileDataIdQuery(ctx: RegistryContext, options: QueryDataIdsOptions): Promise<CompiledQuery> {
  return (await buildDataIdQuery(ctx, options)).query.compile();
}

/** Rows per batch when a select is streamed (the join runs once whatever the batch size). */
const STREAMED_BATCH = 10_000;

/**
 * Runs a data-ID query in batches of at most `batchSize` rows, ordered by the required
 * dimensions, so memory stays bounded for millions of rows. Where the database streams a
 * select (SQLite), one statement is read as the batches (then of at most 10,000 rows) are
 * consumed, and the connection is busy until the iteration ends or is broken off: run no
 * other query on this registry from inside the loop (it would wait forever). Elsewhere each batch is a keyset-paginated query
 * (`(a, b) > (last a, last b)`). `orderBy` and `offset` are not accepted here.
 */
export async function* streamDataIds(ctx: RegistryContext, options: QueryDataIdsOptions, batchSize = 50_000): AsyncGenerator<DataIdRow[]> {
  if (options.orderBy !== undefined || options.offset !== undefined) {
    throw new InvalidInputError('Streamed data-ID queries are ordered by their required dimensions; orderBy and offset are not accepted.', { hint: 'Use queryDataIds for custom orders and offsets.' });
  }
  const built = await buildDataIdQuery(ctx, { ...options, limit: undefined });
  if (ctx.traits.streamsSelects) {
    // The join runs once (a re-run per batch costs the whole join and sort again), so batches
    // can be small: at most STREAMED_BATCH rows are alive at a time, whatever `batchSize`.
    const size = Math.min(batchSize, STREAMED_BATCH);
    let batch: DataIdRow[] = [];
    for await (const row of (options.limit === undefined ? built.query : built.query.limit(options.limit)).stream(size)) {
      batch.push(toDataIdRow(built.group, row as Record<string, unknown>));
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
    return;
  }
  const keys = built.group.required.map((d) => dimensionExpression(built.plan.source, d));
  let remaining = options.limit ?? Infinity;
  let last: DataIdRow | undefined;
  while (remaining > 0) {
    let q = built.query;
    if (last !== undefined) {
      const after = last;
      q = q.where(sql<SqlBool>`(${sql.join(keys)}) > (${sql.join(built.group.required.map((d) => after[d]))})`);
    }
    const take = Math.min(batchSize, remaining);
    const rows = ((await q.limit(take).execute()) as Record<string, unknown>[]).map((r) => toDataIdRow(built.group, r));
    if (rows.length === 0) return;
    yield rows;
    remaining -= rows.length;
    if (rows.length < take) return;
    last = rows[rows.length - 1];
  }
}

function toDataIdRow(group: DimensionGroup, row: Record<string, unknown>): DataIdRow {
  const out: DataIdRow = {};
  for (const d of group.names) {
    const v = row[d];
    if (v === null || v === undefined) continue;
    out[d] = typeof v === 'bigint' ? Number(v) : (v as DataIdValue);
  }
  return out;
}

function dimensionExpression(src: JoinPlan['source'], dimension: string): Expression<unknown> {
  const expr = src.dimension(dimension);
  if (expr === undefined) throw new Error(`internal: no column for dimension ${dimension}`);
  return expr;
}

interface OrderTerm {
  readonly ref: ColumnRef;
  readonly descending: boolean;
}

function resolveOrderTerm(ctx: RegistryContext, requested: DimensionGroup, term: string): OrderTerm {
  const descending = term.startsWith('-');
  const text = descending ? term.slice(1) : term;
  const tree = parseWhereClause(text);
  if (tree === null || tree.kind !== 'identifier') {
    throw new WhereClauseError(`Order-by term "${term}" is not a dimension or field name`, { expression: term, offset: 0, length: term.length, hint: 'write e.g. visit, -visit or visit.exposure_time' });
  }
  const resolved = resolveIdentifier(tree, { universe: ctx.universe, dimensions: requested.names, datasetTypes: [], bind: {}, expression: text });
  if (resolved.kind !== 'column' || resolved.ref.kind === 'dataset' || resolved.ref.kind === 'region') {
    throw new WhereClauseError(`Order-by term "${term}" cannot be sorted on`, { expression: text, offset: 0, length: text.length, hint: 'sort on dimensions, metadata fields or timespan bounds' });
  }
  const ref = resolved.ref;
  const dims = ref.kind === 'dimension' ? [ref.dimension] : ctx.universe.getElement(ref.element).required;
  const outside = dims.filter((d) => !requested.names.includes(d));
  if (outside.length > 0) {
    throw new WhereClauseError(`Order-by term "${term}" needs dimension(s) ${outside.join(', ')}, which are not in the result`, { expression: text, offset: 0, length: text.length, hint: `add ${outside.join(' ')} to the queried dimensions` });
  }
  return { ref, descending };
}

function orderExpression(src: JoinPlan['source'], ref: ColumnRef): Expression<unknown> {
  const expr =
    ref.kind === 'dimension' ? src.dimension(ref.dimension)
      : ref.kind === 'field' ? src.elementColumn(ref.element, ref.field)
        : ref.kind === 'timespan' ? src.elementColumn(ref.element, ref.bound === 'end' ? 'timespan_end' : 'timespan_begin')
          : undefined;
  if (expr === undefined) throw new Error(`internal: cannot order by ${JSON.stringify(ref)}`);
  return expr;
}
