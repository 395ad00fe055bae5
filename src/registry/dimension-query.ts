import type { RegistryContext } from './context.js';
import { coerceDimensionValue, formatDataId, normalizeDataId, type DataIdValue } from './data-id.js';
import type { AnySelect } from './datasets-query.js';
import { elementKeyColumns, elementTable } from './db/schema.js';
import { rowToRecord } from './dimension-records.js';
import { NotFoundError } from '../errors/index.js';

/** Options of {@link queryDimensionRecords}. */
export interface QueryDimensionRecordsOptions {
  element: string;
  /** Equality constraints on the element's key columns or implied dimensions. */
  dataId?: Readonly<Record<string, unknown>>;
  /** Extends the query over the element table (alias `e`); where-clauses plug in here. */
  where?: (query: AnySelect) => AnySelect;
  limit?: number;
}

/** Records of one dimension element, ordered by key. */
export async function queryDimensionRecords(ctx: RegistryContext, options: QueryDimensionRecordsOptions): Promise<Record<string, unknown>[]> {
  const element = ctx.universe.getElement(options.element);
  const keyCols = elementKeyColumns(ctx.universe, element.name);
  let q: AnySelect = ctx.db.selectFrom(`${elementTable(element.name)} as e`).selectAll('e');
  for (const [dim, raw] of Object.entries(options.dataId ?? {})) {
    if (!keyCols.includes(dim) && !element.impliedColumns.includes(dim)) continue;
    q = q.where(`e.${dim}`, '=', coerceDimensionValue(ctx.universe, dim, raw));
  }
  if (options.where) q = options.where(q);
  for (const c of keyCols) q = q.orderBy(`e.${c}`);
  if (options.limit !== undefined) q = q.limit(options.limit);
  const rows = (await q.execute()) as Record<string, unknown>[];
  return rows.map((r) => rowToRecord(ctx, element, r));
}

/** A data ID with implied dimensions filled in and the records of each dimension attached. */
export interface ExpandedDataId {
  readonly dataId: Readonly<Record<string, DataIdValue>>;
  readonly records: Readonly<Record<string, Record<string, unknown>>>;
}

/**
 * Expands a minimal data ID over `dimensions`: looks up the record of each dimension, fills in
 * implied dimensions (visit → physical_filter, day_obs; physical_filter → band) and attaches
 * the records. A missing record is a NotFoundError naming it.
 */
export async function expandDataId(ctx: RegistryContext, dimensions: readonly string[], raw: Readonly<Record<string, unknown>>): Promise<ExpandedDataId> {
  const group = ctx.universe.group(dimensions);
  const dataId: Record<string, DataIdValue> = normalizeDataId(group, raw);
  const records: Record<string, Record<string, unknown>> = {};
  const order = [...group.required, ...group.implied];
  for (const dim of order) {
    const element = ctx.universe.getElement(dim);
    if (!element.required.every((c) => dataId[c] !== undefined)) continue;
    const keyValues = Object.fromEntries(element.required.map((c) => [c, dataId[c]]));
    const found = await queryDimensionRecords(ctx, { element: dim, dataId: keyValues, limit: 1 });
    const record = found[0];
    if (!record) {
      throw new NotFoundError(`No ${dim} record for ${formatDataId(keyValues)}.`, { hint: `Check the value, or list records with \`butler-ts query-dimension-records REPO ${dim}\`.` });
    }
    records[dim] = record;
    for (const imp of element.impliedColumns) {
      const v = record[imp];
      if (v !== null && v !== undefined && dataId[imp] === undefined) dataId[imp] = v as DataIdValue;
    }
  }
  return { dataId, records };
}
