import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { DialectTraits } from '../db/dialect-traits.js';

/** Scalar types of the where-clause language (see `where-operand.ts`). */
export type ListItemType = 'int' | 'float' | 'string';

/**
 * The few SQL forms of the where-clause compiler that differ between databases, as one
 * capability object per dialect (no dialect tests elsewhere). Values always travel as bound
 * parameters.
 */
export interface WhereDialect {
  /** Case-sensitive glob match (`*` any run, `?` one character, everything else literal). */
  glob(field: Expression<unknown>, pattern: string): RawBuilder<SqlBool>;
  /** `field IN (values)` with the whole list bound as one parameter (for very long lists). */
  inBoundList(field: Expression<unknown>, values: readonly (string | number)[], type: ListItemType): RawBuilder<SqlBool>;
  /** `(f1, f2, ...) IN (rows)` with each column of the rows bound as one parameter (for very long lists). */
  inBoundTuples(fields: readonly Expression<unknown>[], columns: readonly BoundColumn[]): RawBuilder<SqlBool>;
}

/** One column of the rows of {@link WhereDialect.inBoundTuples}. */
export interface BoundColumn {
  readonly values: readonly (string | number)[];
  readonly type: ListItemType;
}

/** SQLite's GLOB is case-sensitive and has no escape character: `[` is written `[[]`. */
const sqliteWhereDialect: WhereDialect = {
  glob: (field, pattern) => sql<SqlBool>`(${field} GLOB ${pattern.replace(/\[/g, '[[]')})`,
  inBoundList: (field, values) => sql<SqlBool>`(${field} IN (SELECT value FROM json_each(${JSON.stringify(values)})))`,
  inBoundTuples: (fields, columns) => {
    const rows = (columns[0]?.values ?? []).map((_, i) => columns.map((c) => c.values[i]));
    const picks = columns.map((_, i) => sql`json_extract(value, ${sql.lit(`$[${i}]`)})`);
    return sql<SqlBool>`((${sql.join(fields)}) IN (SELECT ${sql.join(picks)} FROM json_each(${JSON.stringify(rows)})))`;
  },
};

const PG_ARRAY_TYPES: Record<ListItemType, RawBuilder<unknown>> = {
  int: sql.raw('bigint[]'),
  float: sql.raw('double precision[]'),
  string: sql.raw('text[]'),
};

/** PostgreSQL has no GLOB; LIKE is case-sensitive there, with `\` escaping `%`, `_` and itself. */
const postgresWhereDialect: WhereDialect = {
  glob: (field, pattern) => sql<SqlBool>`(${field} LIKE ${globToLike(pattern)} ESCAPE '\\')`,
  inBoundList: (field, values, type) => sql<SqlBool>`(${field} = ANY(CAST(${values} AS ${PG_ARRAY_TYPES[type]})))`,
  inBoundTuples: (fields, columns) => {
    const arrays = columns.map((c) => sql`CAST(${c.values} AS ${PG_ARRAY_TYPES[c.type]})`);
    return sql<SqlBool>`((${sql.join(fields)}) IN (SELECT * FROM unnest(${sql.join(arrays)})))`;
  },
};

/** `*` → `%`, `?` → `_`, and LIKE's own wildcards and escape character escaped. */
export function globToLike(pattern: string): string {
  return pattern.replace(/[\\%_]/g, '\\$&').replace(/\*/g, '%').replace(/\?/g, '_');
}

/** The where-clause capabilities of the registry's database. */
export function getWhereDialect(traits: DialectTraits): WhereDialect {
  return traits.name === 'sqlite' ? sqliteWhereDialect : postgresWhereDialect;
}
