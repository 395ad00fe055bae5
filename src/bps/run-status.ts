import { getSitePlugin, isProcessAlive } from '../sites/index.js';
import { emptyJobCounts, type JobStateCounts } from './drive-run.js';
import type { RunStateStore, SubmissionRow } from './run-state-store.js';

/**
 * State of a whole run: `running` (its driver or batch jobs are at work), `succeeded`,
 * `failed` (ended with failed or pruned jobs), `cancelled`, `interrupted` (the driver stopped
 * before the end: restart it).
 */
export const RunState = ['running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;
/** One of {@link RunState}. */
export type RunState = (typeof RunState)[number];

/** Exit code of `bps-ts status` for each run state (documented; 0 only for success). */
export const RUN_STATE_EXIT_CODE: Readonly<Record<RunState, number>> = { succeeded: 0, running: 20, failed: 21, interrupted: 22, cancelled: 23 };

/** A run's state with what it was derived from. */
export interface RunStatus {
  readonly state: RunState;
  readonly jobCounts: JobStateCounts;
  readonly jobs: number;
  /** Percentage of jobs that succeeded. */
  readonly percentSucceeded: number;
  /** Whether the driver of the latest submission is alive (null: cannot tell from this host). */
  readonly driverAlive: boolean | null;
  readonly latest: SubmissionRow | undefined;
  /** Attempts still running although their driver is gone (orphans of a killed driver). */
  readonly orphans: number;
}

/**
 * Reads a run's state. First asks the site which attempts recorded as running have in fact
 * ended (a killed driver leaves them behind) and records them (`lost`), so every reader sees
 * the same truth.
 */
export async function readRunStatus(store: RunStateStore): Promise<RunStatus> {
  const meta = store.metadata();
  const latest = store.submissions().at(-1);
  const plugin = getSitePlugin(meta.siteType);
  const running = store.runningAttempts();
  if (running.length > 0) {
    const ended = await plugin.status({ submitPath: meta.submitPath, siteRunId: latest?.siteRunId ?? '', running });
    if (ended.length > 0) store.recordEnded(ended);
  }
  const driverAlive = latest === undefined || latest.endedAt !== null ? false : isProcessAlive({ host: latest.driverHost, pid: latest.driverPid, pidStart: latest.driverPidStart });
  const jobs = store.jobs();
  const counts = emptyJobCounts();
  for (const j of jobs) counts[j.state]++;
  const stillRunning = store.runningAttempts().length;
  const orphans = driverAlive === false ? stillRunning : 0;
  let state: RunState;
  const unfinished = counts.unready + counts.ready + counts.running + counts.lost;
  if (driverAlive === true || (driverAlive === null && unfinished > 0) || (!plugin.capabilities.runsInDriver && counts.running + counts.ready + counts.unready > 0) || stillRunning > 0) state = 'running';
  else if (counts.succeeded === jobs.length) state = 'succeeded';
  else if (counts.deleted > 0) state = 'cancelled';
  else if (unfinished > 0) state = 'interrupted';
  else state = 'failed';
  return { state, jobCounts: counts, jobs: jobs.length, percentSucceeded: jobs.length === 0 ? 0 : Math.floor((100 * counts.succeeded) / jobs.length), driverAlive, latest, orphans };
}
