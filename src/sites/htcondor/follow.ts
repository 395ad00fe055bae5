import type { SubmitOptions } from '../site-plugin.js';
import { followHtcondorRun } from './follow-htcondor-run.js';

/** Milliseconds between polls of the node log and node status file when the driver follows a run. */
const FOLLOW_INTERVAL_MS = 1000;

/**
 * The HTCondor site's `follow`: follows the submitted DAG until DAGMan has exited, feeding
 * `options.recorder`. Aborting `options.signal` removes the DAG (`condor_rm`) and returns once
 * DAGMan has recorded its jobs as deleted.
 */
export function followHtcondor(options: SubmitOptions, siteRunId: string): Promise<void> {
  return followHtcondorRun(options, siteRunId, { intervalMs: FOLLOW_INTERVAL_MS, ...(options.signal ? { signal: options.signal } : {}) });
}
