import type { DataIdValue } from './data-id.js';

/** A dataset: its id, type, data ID (required dimensions) and RUN collection. */
export interface DatasetRef {
  readonly id: string;
  readonly datasetType: string;
  readonly dataId: Readonly<Record<string, DataIdValue>>;
  readonly run: string;
}

/** A validity range in UTC microseconds; null ends are unbounded. */
export interface Timespan {
  readonly begin: number | null;
  readonly end: number | null;
}

/** Whether two half-open timespans [begin, end) overlap. */
export function timespansOverlap(a: Timespan, b: Timespan): boolean {
  const aBeforeB = a.end !== null && b.begin !== null && a.end <= b.begin;
  const bBeforeA = b.end !== null && a.begin !== null && b.end <= a.begin;
  return !aBeforeB && !bBeforeA;
}

/** `[2020-01-01T00:00:00Z, ∞)` for messages. */
export function formatTimespan(t: Timespan): string {
  const f = (v: number | null, inf: string): string => (v === null ? inf : new Date(v / 1000).toISOString());
  return `[${f(t.begin, '-∞')}, ${f(t.end, '∞')})`;
}
