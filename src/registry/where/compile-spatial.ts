import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { DimensionUniverse } from '../universe.js';
import type { ColumnSource } from './column-source.js';
import { BOUND_LIST_THRESHOLD } from './compile-in.js';
import type { SpatialTerm } from './spatial-term.js';
import type { WhereDialect } from './where-dialect.js';
import { failAt } from './where-operand.js';

/** Inputs of {@link compileSpatialTerm}. */
export interface CompileSpatialOptions {
  readonly term: SpatialTerm;
  readonly source: ColumnSource;
  readonly dialect: WhereDialect;
  readonly universe: DimensionUniverse;
  readonly expression: string;
}

/**
 * A resolved spatial term as `(key columns) IN (matching keys)`, every key a bound parameter
 * (long lists bound as arrays); no match is `(1 = 0)`.
 * @throws WhereClauseError when the term was not resolved (a query path that cannot read regions first).
 */
export function compileSpatialTerm(options: CompileSpatialOptions): RawBuilder<SqlBool> {
  const { term, source } = options;
  if (term.matches === undefined) {
    throw failAt(options.expression, term.node, 'Spatial constraints (OVERLAPS with a region) are not supported in this kind of query yet',
      'use a data-ID query (query-data-ids), or constrain visit/detector/tract/patch values instead');
  }
  const matches = term.matches;
  if (matches.length === 0) return sql<SqlBool>`(1 = 0)`;
  const fields = term.keyColumns.map((c): Expression<unknown> => {
    const field = source.dimension(c);
    if (field === undefined) throw new Error(`internal: the query planner did not provide dimension ${c} for ${term.element}.region`);
    return field;
  });
  if (matches.length * fields.length > BOUND_LIST_THRESHOLD) {
    const columns = term.keyColumns.map((c, i) => ({
      values: matches.map((row) => row[i] as string | number),
      type: options.universe.getDimension(c).key.type === 'int' ? ('int' as const) : ('string' as const),
    }));
    return options.dialect.inBoundTuples(fields, columns);
  }
  const tuples = matches.map((row) => sql`(${sql.join(row.map((v) => sql`${v}`))})`);
  return sql<SqlBool>`((${sql.join(fields)}) IN (${sql.join(tuples)}))`;
}
