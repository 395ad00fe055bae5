import type { Timespan } from '../registry/index.js';
import type { GraphRegistry } from './graph-registry.js';
import type { GraphDataId } from './quantum-graph-types.js';

/** Gives the observation timespan of a quantum data ID (its visit's or exposure's), for calibration lookups. */
export type TimespanOf = (dataId: GraphDataId) => Timespan;

const UNBOUNDED: Timespan = { begin: null, end: null };

/**
 * Loads the timespans of the visits and exposures of the given instruments (one query per
 * element and instrument) and returns the lookup. A data ID without visit or exposure (a
 * patch, say) gets an unbounded timespan, as in the reference.
 */
export async function loadQuantumTimespans(registry: GraphRegistry, instruments: readonly string[]): Promise<TimespanOf> {
  const tables = new Map<string, Map<string, Timespan>>();
  for (const element of ['visit', 'exposure']) {
    const table = new Map<string, Timespan>();
    for (const instrument of instruments) {
      for (const r of await registry.queryDimensionRecords({ element, dataId: { instrument } })) {
        const ts = r['timespan'] as { begin: number | null; end: number | null } | undefined;
        if (ts !== undefined) table.set(`${instrument}\u001f${String(r['id'])}`, { begin: ts.begin, end: ts.end });
      }
    }
    tables.set(element, table);
  }
  return (dataId) => {
    for (const element of ['exposure', 'visit']) {
      const v = dataId[element];
      if (v === undefined) continue;
      const ts = tables.get(element)?.get(`${String(dataId['instrument'])}\u001f${String(v)}`);
      if (ts !== undefined) return ts;
    }
    return UNBOUNDED;
  };
}
