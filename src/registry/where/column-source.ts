import type { Expression } from 'kysely';
import type { DatasetField } from './column-ref.js';

/**
 * Where the SQL of each reference comes from in one query: the join planner (or a caller with
 * its own table, such as the dataset and dimension-record queries) implements it. A method
 * returns undefined when this query cannot serve the reference.
 */
export interface ColumnSource {
  /** The key value of `dimension`. */
  dimension(dimension: string): Expression<unknown> | undefined;
  /** A column of `element`'s table: a metadata field, `timespan_begin`, `timespan_end`, `region`. */
  elementColumn(element: string, column: string): Expression<unknown> | undefined;
  /** A dataset field (`datasetType` null when unqualified). */
  datasetField(field: DatasetField, datasetType: string | null): Expression<unknown> | undefined;
}

/** Tries each source in turn. */
export function combineSources(...sources: readonly ColumnSource[]): ColumnSource {
  return {
    dimension: (d) => firstOf(sources, (s) => s.dimension(d)),
    elementColumn: (e, c) => firstOf(sources, (s) => s.elementColumn(e, c)),
    datasetField: (f, t) => firstOf(sources, (s) => s.datasetField(f, t)),
  };
}

function firstOf<T>(sources: readonly ColumnSource[], get: (s: ColumnSource) => T | undefined): T | undefined {
  for (const s of sources) {
    const v = get(s);
    if (v !== undefined) return v;
  }
  return undefined;
}
