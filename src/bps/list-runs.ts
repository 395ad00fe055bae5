import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RunIndex } from './run-index.js';
import { RUN_STATE_FILE } from './run-state-schema.js';
import { readRunStatus, type RunState } from './run-status.js';
import { RunStateStore } from './run-state-store.js';

/** One line of `bps-ts report` (the reference's columns). */
export interface RunSummaryRow {
  readonly state: RunState | 'unknown';
  readonly percentSucceeded: number;
  readonly id: string;
  readonly operator: string;
  readonly project: string;
  readonly campaign: string;
  readonly payload: string;
  readonly run: string;
  readonly submitPath: string;
  readonly createdAt: string;
}

/**
 * The runs of the index: without `histDays` only those still running or interrupted (as the
 * reference lists runs in the queue); with it, also those created in the last `histDays`
 * days. `user` selects another user's runs (default: all users recorded in this index).
 */
export async function listRuns(options: { home: string; histDays?: number; user?: string; now?: number }): Promise<RunSummaryRow[]> {
  const index = RunIndex.open(options.home);
  const entries = (() => {
    try {
      return index.list({ ...(options.user !== undefined ? { user: options.user } : {}) });
    } finally {
      index.close();
    }
  })();
  const since = options.histDays === undefined ? undefined : (options.now ?? Date.now()) - options.histDays * 86_400_000;
  const rows: RunSummaryRow[] = [];
  for (const e of entries) {
    const base = { id: e.id, operator: e.operator, project: e.project, campaign: e.campaign, payload: e.payload, run: e.outputRun, submitPath: e.submitPath, createdAt: new Date(e.createdAt).toISOString() };
    const file = join(e.submitPath, RUN_STATE_FILE);
    let state: RunSummaryRow['state'] = 'unknown';
    let percent = 0;
    if (existsSync(file)) {
      const store = RunStateStore.open(file);
      try {
        const s = await readRunStatus(store);
        state = s.state;
        percent = s.percentSucceeded;
      } finally {
        store.close();
      }
    }
    const active = state === 'running' || state === 'interrupted';
    if (!active && (since === undefined || e.createdAt < since)) continue;
    rows.push({ state, percentSucceeded: percent, ...base });
  }
  return rows;
}
