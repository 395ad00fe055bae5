import { InvalidInputError } from '../errors/index.js';
import { chunk, type RegistryContext } from './context.js';
import { coerceDimensionValue, formatDataId } from './data-id.js';
import { overlapColumns, overlapTable } from './db/schema.js';

/** One row of a materialised overlap table: the key values of both elements. */
export type OverlapRow = Readonly<Record<string, unknown>>;

/**
 * Adds rows to the overlap table of elements `a` and `b` (a pair listed under `overlaps` in the
 * universe). Rows already present are left alone, so callers may recompute and insert again.
 * Returns the number of new rows.
 */
export async function insertOverlaps(ctx: RegistryContext, a: string, b: string, rows: readonly OverlapRow[]): Promise<number> {
  if (!ctx.universe.overlaps.some(([x, y]) => x === a && y === b)) {
    throw new InvalidInputError(`There is no overlap table for "${a}" and "${b}".`, {
      hint: `Materialised overlaps are ${ctx.universe.overlaps.map(([x, y]) => `[${x}, ${y}]`).join(', ')} (dimensions.yaml).`,
    });
  }
  const columns = overlapColumns(ctx.universe, a, b);
  const table = overlapTable(a, b);
  const unique = new Map<string, Record<string, unknown>>();
  for (const row of rows) {
    const out: Record<string, unknown> = {};
    for (const c of columns) {
      const v = row[c];
      if (v === undefined || v === null) throw new InvalidInputError(`Overlap row ${formatDataId(row)} for ${table} lacks "${c}".`);
      out[c] = coerceDimensionValue(ctx.universe, c, v, `overlap row of ${table}`);
    }
    unique.set(JSON.stringify(columns.map((c) => out[c])), out);
  }
  let inserted = 0;
  for (const part of chunk([...unique.values()], columns.length, ctx.traits.maxParameters)) {
    const result = await ctx.db
      .insertInto(table)
      .values(part)
      .onConflict((oc) => oc.columns(columns as never[]).doNothing())
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return inserted;
}
