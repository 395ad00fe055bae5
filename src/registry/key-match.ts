import type { ExpressionBuilder, Expression, SqlBool } from 'kysely';
import type { DataIdValue } from './data-id.js';

/**
 * `(c1, c2, ...) IN ((v1, v2, ...), ...)` for the given key columns: a flat expression that both
 * SQLite and PostgreSQL plan as index lookups, whatever the number of rows (nested ORs hit
 * SQLite's expression depth limit).
 */
export function keysIn(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  eb: ExpressionBuilder<any, any>,
  columns: readonly string[],
  rows: readonly Readonly<Record<string, unknown>>[],
): Expression<SqlBool> {
  if (columns.length === 1) {
    const col = columns[0]!;
    return eb(col, 'in', rows.map((r) => r[col] as DataIdValue));
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const refs = (eb.refTuple as any)(...columns);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const tuples = rows.map((r) => (eb.tuple as any)(...columns.map((c) => r[c] as DataIdValue)));
  return eb(refs, 'in', tuples);
}
