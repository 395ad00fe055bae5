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
import { resolveSpatialTerms, resolveSpatialTermsOfEach } from './resolve-spatial-terms.js';
import { getWhereDialect } from './where-dialect.js';

/** Options of {@link prepareDatasetWhereHook}. */
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
 * the joined dimension tables. Spatial terms (`patch.region OVERLAPS POINT(:ra, :dec)`) are
 * resolved first by reading the constrained regions.
 */
export async function prepareDatasetWhereHook(ctx: RegistryContext, options: DatasetWhereOptions): Promise<DatasetQueryHook | undefined> {
  if (options.where.trim() === '') return undefined;
  const prepared = prepareForDatasetTypes(ctx, options);
  return assembleDatasetHook(ctx, options, await resolveSpatialTermsOfEach(ctx, prepared));
}

function prepareForDatasetTypes(ctx: RegistryContext, options: DatasetWhereOptions): PreparedWhere[] {
  const names = options.datasetTypes.map((t) => t.name);
  return options.datasetTypes.map((datasetType) =>
    prepareWhereClause({
      expression: options.where,
      bind: options.bind ?? {},
      universe: ctx.universe,
      dimensions: ctx.universe.group(datasetType.dimensions).names,
      datasetTypes: names,
    }),
  );
}

function assembleDatasetHook(ctx: RegistryContext, options: DatasetWhereOptions, prepared: readonly PreparedWhere[]): DatasetQueryHook {
  const conditions = new Map<number, RawBuilder<SqlBool>>();
  for (const [i, datasetType] of options.datasetTypes.entries()) {
    const outer: ColumnSource = {
      dimension: (d) => (datasetType.dimensions.includes(d) ? sql.ref(`d.${d}`) : undefined),
      elementColumn: () => undefined,
      datasetField: (field, type) => datasetFieldSql(field, type, datasetType, options.where),
    };
    conditions.set(datasetType.id, compileCorrelated(ctx, { prepared: prepared[i] as PreparedWhere, outer, correlated: datasetType.dimensions }));
  }
  return (query: AnySelect, datasetType: StoredDatasetType): AnySelect => {
    const condition = conditions.get(datasetType.id);
    return condition === undefined ? query : query.where(condition);
  };
}

/** Options of {@link prepareRecordWhereHook}. */
export interface RecordWhereOptions {
  readonly element: string;
  readonly where: string;
  readonly bind?: BindValues;
}

/** Compiles a where-clause for `queryDimensionRecords` (its `where` hook over alias `e`), spatial terms included. */
export async function prepareRecordWhereHook(ctx: RegistryContext, options: RecordWhereOptions): Promise<((query: AnySelect) => AnySelect) | undefined> {
  if (options.where.trim() === '') return undefined;
  return assembleRecordHook(ctx, options, await resolveSpatialTerms(ctx, prepareForElement(ctx, options)));
}

function prepareForElement(ctx: RegistryContext, options: RecordWhereOptions): PreparedWhere {
  const element = ctx.universe.getElement(options.element);
  const own = [...elementKeyColumns(ctx.universe, element.name), ...element.impliedColumns];
  return prepareWhereClause({ expression: options.where, bind: options.bind ?? {}, universe: ctx.universe, dimensions: ctx.universe.group(own).names });
}

function assembleRecordHook(ctx: RegistryContext, options: RecordWhereOptions, prepared: PreparedWhere): (query: AnySelect) => AnySelect {
  const element = ctx.universe.getElement(options.element);
  const keys = elementKeyColumns(ctx.universe, element.name);
  const own = [...keys, ...element.impliedColumns];
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
