import type { AttemptEnd, RunQueryOptions } from '../site-plugin.js';
import { readPreparedSlurm } from './prepare.js';
import { cancelJobs } from './slurm-cli.js';
import { isFinalState, mapSlurmState } from './slurm-states.js';
import { queryJobs } from './squeue-query.js';

/**
 * Cancels a Slurm run: the current user's jobs carrying the run's comment (`bps-ts:<run>`), plus
 * the job ids recorded for its running attempts; only those, never another run's. Returns the
 * running attempts whose jobs it cancelled, as deleted.
 */
export async function cancelSlurm(options: RunQueryOptions): Promise<AttemptEnd[]> {
  const prepared = await readPreparedSlurm(options.submitPath);
  const recorded = options.running.map((a) => a.siteJobId).filter((id): id is string => id !== null);
  const rows = [
    ...(prepared !== undefined ? await queryJobs({ comment: prepared.comment }) : []),
    ...(recorded.length > 0 ? await queryJobs({ jobIds: recorded }) : []),
  ];
  // A pending job blocked by a failed parent counts as ended for status, but still sits in the queue.
  const active = new Set(rows.filter((r) => r.state === 'PENDING' || !isFinalState(mapSlurmState(r.state, r.reason).state)).map((r) => r.id));
  if (active.size > 0) await cancelJobs({ jobIds: [...active] });
  const now = Date.now();
  return options.running
    .filter((a) => a.siteJobId !== null && active.has(a.siteJobId))
    .map((a) => ({ job: a.job, attempt: a.attempt, state: 'deleted' as const, exitCode: null, signal: null, endedAt: now, reason: 'cancelled' }));
}
