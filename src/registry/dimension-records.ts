import { ConflictError, InvalidInputError } from '../errors/index.js';
import { chunk, type RegistryContext } from './context.js';
import { coerceDimensionValue, formatDataId, type DataIdValue } from './data-id.js';
import { checkDimensionRecordsExist } from './dimension-check.js';
import { elementKeyColumns, elementTable } from './db/schema.js';
import { keysIn } from './key-match.js';
import type { DimensionElement } from './universe.js';

/** A dimension record in user form: the element's key under its field name (`id`, `name`). */
export type DimensionRecord = Readonly<Record<string, unknown>>;

/** How to treat records whose key already exists. */
export type RecordConflictMode = 'insert' | 'sync' | 'replace';

/** Converts a user record to table columns; checks types and required fields. */
export function recordToRow(ctx: RegistryContext, element: DimensionElement, record: DimensionRecord): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  const where = `${element.name} record ${JSON.stringify(record)}`;
  for (const col of elementKeyColumns(ctx.universe, element.name)) {
    const value = col === element.name && element.key ? (record[element.key.name] ?? record[col]) : record[col];
    if (value === undefined || value === null) {
      throw new InvalidInputError(`The ${where} lacks "${col === element.name && element.key ? element.key.name : col}".`);
    }
    row[col] = coerceDimensionValue(ctx.universe, col, value, where);
  }
  for (const dim of element.impliedColumns) {
    const v = record[dim];
    row[dim] = v === undefined || v === null ? null : coerceDimensionValue(ctx.universe, dim, v, where);
  }
  for (const field of element.metadata) {
    const v = record[field.name];
    if (v === undefined || v === null) {
      row[field.name] = null;
    } else if (field.type === 'string') {
      row[field.name] = String(v);
    } else {
      const n = Number(v);
      if (!Number.isFinite(n) || (field.type === 'int' && !Number.isSafeInteger(n))) {
        throw new InvalidInputError(`Field "${field.name}" of the ${where} must be ${field.type === 'int' ? 'an integer' : 'a number'}, not ${JSON.stringify(v)}.`);
      }
      row[field.name] = n;
    }
  }
  if (element.timespan) {
    const ts = record['timespan'] as { begin?: number | null; end?: number | null } | undefined;
    row['timespan_begin'] = ts?.begin ?? null;
    row['timespan_end'] = ts?.end ?? null;
  }
  if (element.region) {
    const region = record['region'];
    row['region'] = region === undefined || region === null ? null : typeof region === 'string' ? region : JSON.stringify(region);
  }
  return row;
}

/** Converts a table row back to a user record. */
export function rowToRecord(ctx: RegistryContext, element: DimensionElement, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const col of elementKeyColumns(ctx.universe, element.name)) {
    out[col === element.name && element.key ? element.key.name : col] = row[col];
  }
  for (const dim of element.impliedColumns) out[dim] = row[dim] ?? null;
  for (const field of element.metadata) out[field.name] = row[field.name] ?? null;
  if (element.timespan) {
    const b = row['timespan_begin'];
    const e = row['timespan_end'];
    out['timespan'] = { begin: b === null || b === undefined ? null : Number(b), end: e === null || e === undefined ? null : Number(e) };
  }
  if (element.region) out['region'] = typeof row['region'] === 'string' ? JSON.parse(row['region']) : null;
  return out;
}

/**
 * Inserts records of one element. The dimensions they require or imply must have records.
 * `sync` accepts an identical existing record; `replace` overwrites; `insert` refuses any existing key.
 */
export async function insertDimensionRecords(ctx: RegistryContext, elementName: string, records: readonly DimensionRecord[], mode: RecordConflictMode = 'insert'): Promise<number> {
  const element = ctx.universe.getElement(elementName);
  const keyCols = elementKeyColumns(ctx.universe, elementName);
  const rows = records.map((r) => recordToRow(ctx, element, r));
  const deps = [...new Set([...element.requires.flatMap((r) => ctx.universe.getElement(r).required), ...element.requires, ...element.impliedColumns])];
  const withDeps = rows.filter((r) => element.impliedColumns.every((d) => r[d] !== null));
  await checkDimensionRecordsExist(ctx, deps.filter((d) => d !== elementName), withDeps as Record<string, DataIdValue>[]);
  const table = elementTable(elementName);
  let inserted = 0;
  for (const part of chunk(rows, Object.keys(rows[0] ?? { a: 1 }).length, ctx.traits.maxParameters)) {
    const existing = await selectExisting(ctx, table, keyCols, part);
    const fresh: Record<string, unknown>[] = [];
    for (const row of part) {
      const old = existing.get(JSON.stringify(keyCols.map((c) => row[c])));
      if (!old) {
        fresh.push(row);
      } else if (mode === 'replace') {
        let q = ctx.db.updateTable(table).set(row);
        for (const c of keyCols) q = q.where(c, '=', row[c]);
        await q.execute();
      } else if (mode === 'insert' || !sameRow(old, row)) {
        throw new ConflictError(`A ${elementName} record for ${formatDataId(Object.fromEntries(keyCols.map((c) => [c, row[c]])))} already exists${mode === 'sync' ? ' with different values' : ''}.`, {
          hint: mode === 'insert' ? 'Skip records that exist (sync) or replace them.' : 'Use replace to overwrite it.',
        });
      }
    }
    if (fresh.length > 0) await ctx.db.insertInto(table).values(fresh).execute();
    inserted += fresh.length;
  }
  return inserted;
}

async function selectExisting(ctx: RegistryContext, table: string, keyCols: readonly string[], rows: readonly Record<string, unknown>[]): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  if (rows.length === 0) return out;
  const found = (await ctx.db
    .selectFrom(table)
    .selectAll()
    .where((eb) => keysIn(eb, keyCols, rows))
    .execute()) as Record<string, unknown>[];
  for (const f of found) out.set(JSON.stringify(keyCols.map((c) => f[c])), f);
  return out;
}

function sameRow(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return Object.keys(b).every((k) => {
    const x = a[k];
    const y = b[k];
    if (x === null || x === undefined) return y === null || y === undefined;
    return typeof y === 'number' ? Number(x) === y : String(x) === String(y);
  });
}
