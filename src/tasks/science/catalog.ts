import type { ColumnValues, FitsColumn, FitsValue } from '../../fits/index.js';

/**
 * A table of sources: the in-memory form of `SourceCatalog`, `SimpleCatalog`, `Catalog` and
 * `DataFrame`. Columns are FITS binary-table columns; `metadata` becomes header cards.
 */
export interface Catalog {
  columns: FitsColumn[];
  data: Record<string, ColumnValues>;
  metadata: Record<string, FitsValue>;
}

/** A catalog row: column name → value. */
export type CatalogRow = Record<string, number | string | boolean>;

/** Builds a catalog from column definitions and rows (missing numbers become NaN, strings ''). */
export function makeCatalog(columns: readonly FitsColumn[], rows: readonly CatalogRow[], metadata: Record<string, FitsValue> = {}): Catalog {
  const data: Record<string, ColumnValues> = {};
  for (const column of columns) {
    if (column.format === 'A') data[column.name] = rows.map((r) => String(r[column.name] ?? ''));
    else if (column.format === 'L') data[column.name] = rows.map((r) => r[column.name] === true);
    else data[column.name] = rows.map((r) => (typeof r[column.name] === 'number' ? (r[column.name] as number) : Number.NaN));
  }
  return { columns: columns.map((c) => ({ ...c })), data, metadata: { ...metadata } };
}

/** Number of rows. */
export function catalogLength(catalog: Catalog): number {
  const first = catalog.columns[0];
  return first === undefined ? 0 : (catalog.data[first.name]?.length ?? 0);
}

/** A numeric column; throws naming the catalog's columns when absent. */
export function getNumberColumn(catalog: Catalog, name: string): number[] {
  const values = catalog.data[name];
  if (values === undefined) {
    throw new RangeError(`catalog has no column '${name}' (columns: ${catalog.columns.map((c) => c.name).join(', ')})`);
  }
  return values as number[];
}

/** True when the catalog has a column of that name. */
export function hasColumn(catalog: Catalog, name: string): boolean {
  return catalog.data[name] !== undefined;
}

/** The rows of a catalog as objects. */
export function catalogRows(catalog: Catalog): CatalogRow[] {
  const rows: CatalogRow[] = [];
  const n = catalogLength(catalog);
  for (let i = 0; i < n; i++) {
    const row: CatalogRow = {};
    for (const column of catalog.columns) row[column.name] = catalog.data[column.name]![i]!;
    rows.push(row);
  }
  return rows;
}

/** Concatenates catalogs with the same columns (the first one's schema wins). */
export function concatCatalogs(catalogs: readonly Catalog[]): Catalog {
  const first = catalogs[0];
  if (first === undefined) return { columns: [], data: {}, metadata: {} };
  return makeCatalog(first.columns, catalogs.flatMap(catalogRows), first.metadata);
}

/** True for objects shaped like a {@link Catalog}. */
export function isCatalog(value: unknown): value is Catalog {
  const v = value as Partial<Catalog> | null;
  return typeof v === 'object' && v !== null && Array.isArray(v.columns) && typeof v.data === 'object' && v.data !== null;
}
