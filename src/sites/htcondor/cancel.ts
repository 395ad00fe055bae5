import type { AttemptEnd, RunQueryOptions } from '../site-plugin.js';
import { parseHtcondorRunId } from './htcondor-settings.js';
import { runCondorCommand } from './run-condor-command.js';

/**
 * Cancels an HTCondor run with `condor_rm <DAGMan cluster>`: DAGMan removes its node jobs
 * (and still runs the FINAL node). The attempts the run state calls running are returned as
 * `deleted`.
 */
export async function cancelHtcondor(options: RunQueryOptions): Promise<AttemptEnd[]> {
  const cluster = parseHtcondorRunId(options.siteRunId);
  await runCondorCommand(['condor_rm', String(cluster)]);
  const now = Date.now();
  return options.running.map((a) => ({ job: a.job, attempt: a.attempt, state: 'deleted' as const, exitCode: null, signal: null, endedAt: now, reason: `cancelled (condor_rm ${cluster})` }));
}
