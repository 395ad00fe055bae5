import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { WhereClauseError } from '../../query/index.js';
import type { RegistryContext, StoredDatasetType } from '../context.js';
import type { AnySelect, DatasetQueryHook } from '../datasets-query.js';
import { elementKeyColumns } from '../db/schema.js';
import type { BindValues } from './bind-values.js';
import type { DatasetField } from './column-ref.js';
import { combineSources, type ColumnSource } from './column-source.js';
import { compileWhereTree } from './compile-where.js';
import { planDimensionJoin } from './plan-dimension-join.js';
import { listReferencedDimensions, prepareWhereClause, type PreparedWhere } from './prepare-where.js';
import { getWhereDialect } from './where-dialect.js';

/** Options of {@link buildDatasetWhereHook}. */
export interface DatasetWhereOptions {
  readonly where: string;
  readonly bind?: BindValues;
  /** The dataset types the query will visit; the clause is checked against each now. */
  readonly datasetTypes: readonly StoredDatasetType[];
}

/**
 * Compiles a where-clause for `queryDatasets` (its `where` hook), once per dataset type and
 * before any query runs, so errors surface even when no collection holds the type. Conditions
 * on the dataset's own dimensions and fields apply to the dataset table directly; others
 * (`band` for visit-level data, `visit.exposure_time`) become one correlated `EXISTS` over
 * the joined dimension tables.
 */
export function buildDatasetWhereHook(ctx: RegistryContext, options: DatasetWhereOptions): DatasetQueryHook | undefined {
  if (options.where.trim() === '') return undefined;
  const names = options.datasetTypes.map((t) => t.name);
  const conditions = new Map<number, RawBuilder<SqlBool>>();
  for (const datasetType of options.datasetTypes) {
    const prepared = prepareWhereClause({
      expression: options.where,
      bind: options.bind ?? {},
      universe: ctx.universe,
      dimensions: ctx.universe.group(datasetType.dimensions).names,
      datasetTypes: names,
    });
    const outer: ColumnSource = {
      dimension: (d) => (datasetType.dimensions.includes(d) ? sql.ref(`d.${d}`) : undefined),
      elementColumn: () => undefined,
      datasetField: (field, type) => datasetFieldSql(field, type, datasetType, options.where),
    };
    conditions.set(datasetType.id, compileCorrelated(ctx, { prepared, outer, correlated: datasetType.dimensions }));
  }
  return (query: AnySelect, datasetType: StoredDatasetType): AnySelect => {
    const condition = conditions.get(datasetType.id);
    return condition === undefined ? query : query.where(condition);
  };
}

/** Options of {@link buildRecordWhereHook}. */
export interface RecordWhereOptions {
  readonly element: string;
  readonly where: string;
  readonly bind?: BindValues;
}

/** Compiles a where-clause for `queryDimensionRecords` (its `where` hook over alias `e`). */
export function buildRecordWhereHook(ctx: RegistryContext, options: RecordWhereOptions): ((query: AnySelect) => AnySelect) | undefined {
  if (options.where.trim() === '') return undefined;
  const element = ctx.universe.getElement(options.element);
  const keys = elementKeyColumns(ctx.universe, element.name);
  const own = [...keys, ...element.impliedColumns];
  const prepared = prepareWhereClause({
    expression: options.where,
    bind: options.bind ?? {},
    universe: ctx.universe,
    dimensions: ctx.universe.group(own).names,
  });
  const outer: ColumnSource = {
    dimension: (d) => (own.includes(d) ? sql.ref(`e.${d}`) : undefined),
    elementColumn: (e, c) => (e === element.name ? sql.ref(`e.${c}`) : undefined),
    datasetField: () => undefined,
  };
  const condition = compileCorrelated(ctx, { prepared, outer, correlated: keys, ownElement: element.name });
  return (query) => query.where(condition);
}

/**
 * The condition against `outer` alone when it serves every reference; otherwise
 * `EXISTS (join of the dimension tables, correlated with outer on `correlated`, and the condition)`.
 */
function compileCorrelated(
  ctx: RegistryContext,
  options: { prepared: PreparedWhere; outer: ColumnSource; correlated: readonly string[]; ownElement?: string },
): RawBuilder<SqlBool> {
  const { prepared, outer } = options;
  if (prepared.tree === null) return sql<SqlBool>`(1 = 1)`;
  const dialect = getWhereDialect(ctx.traits);
  const refs = prepared.references;
  const direct = [...refs.dimensions].every((d) => outer.dimension(d) !== undefined) && [...refs.elements].every((e) => e === options.ownElement);
  if (direct) return compileWhereTree({ tree: prepared.tree, scope: prepared.scope, source: outer, dialect });
  const plan = planDimensionJoin(ctx, {
    dimensions: [...options.correlated, ...listReferencedDimensions(ctx.universe, refs)],
    elements: [...refs.elements].filter((e) => e !== options.ownElement),
    aliasPrefix: 'w',
  });
  let query = plan.query.select(sql`1`.as('one'));
  for (const d of options.correlated) query = query.where(sql<SqlBool>`${plan.source.dimension(d)} = ${outer.dimension(d)}`);
  const source = combineSources(options.ownElement ? { ...plan.source, elementColumn: (e, c) => outer.elementColumn(e, c) ?? plan.source.elementColumn(e, c) } : plan.source, outer);
  query = query.where(compileWhereTree({ tree: prepared.tree, scope: prepared.scope, source, dialect }));
  return sql<SqlBool>`EXISTS ${query}`;
}

function datasetFieldSql(field: DatasetField, type: string | null, datasetType: StoredDatasetType, expression: string): RawBuilder<unknown> {
  if (type !== null && type !== datasetType.name) {
    throw new WhereClauseError(`The where-clause names ${type}.${field}, but it is also applied to "${datasetType.name}" datasets`, {
      expression,
      offset: Math.max(0, expression.indexOf(`${type}.${field}`)),
      length: type.length + field.length + 1,
      hint: `query "${type}" on its own, or write the unqualified ${field}`,
    });
  }
  if (field === 'ingest_date') return sql.ref('d.ingest_date');
  if (field === 'dataset_id') return sql.ref('d.id');
  return sql`(SELECT rc.name FROM collection AS rc WHERE rc.collection_id = d.run_id)`;
}
