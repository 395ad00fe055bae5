import type { AttemptEnd, RunQueryOptions } from '../site-plugin.js';
import { toAttemptEnd } from './attempt-end.js';
import { slurmStatusFile } from './job-spec.js';
import { decodeWaitStatus, mergeJobStatus } from './slurm-states.js';
import { queryJobsById } from './squeue-query.js';
import { readWrapperStatus } from './wrapper-status.js';

export { BLOCKED_END_REASON } from './attempt-end.js';

/**
 * The Slurm site's status, as `bps-ts status` and `report` ask it from any shell: ONE squeue
 * call for every running attempt's job id (array tasks as `<array>_<task>`), merged with the
 * wrapper status files. Returns the attempts that ended: succeeded/failed with the payload's
 * exit code (a shell's 128+n as signal n), infrastructure failures (TIMEOUT, OUT_OF_MEMORY,
 * NODE_FAIL, ...) as failed with a reason naming the Slurm state, CANCELLED as deleted. A job
 * Slurm no longer knows and that left no status file is lost.
 *
 * It changes nothing in Slurm: retries, dependency updates and cancelling the jobs a failed
 * parent blocked are the follower's work ({@link followSlurm}), which alone knows whether a
 * failed parent still has a retry coming. (Attempts are recorded only once Slurm started them,
 * so a job waiting on a parent is never among `running`.)
 */
export async function statusSlurm(options: RunQueryOptions): Promise<AttemptEnd[]> {
  const attempts = options.running.filter((a) => a.siteJobId !== null);
  if (attempts.length === 0) return [];
  const rowOf = await queryJobsById(attempts.map((a) => a.siteJobId!));
  const now = Date.now();
  const ended: AttemptEnd[] = [];
  const wrappers = await Promise.all(attempts.map((a) => readWrapperStatus(slurmStatusFile(options.submitPath, a.job, a.attempt))));
  for (const [i, a] of attempts.entries()) {
    const row = rowOf(a.siteJobId!);
    const merged = mergeJobStatus(row ? { state: row.state, reason: row.reason, exit: decodeWaitStatus(row.rawExitCode ?? 0) } : undefined, wrappers[i]);
    if (merged.state === 'UNKNOWN' && row === undefined) {
      ended.push({ job: a.job, attempt: a.attempt, state: 'lost', exitCode: null, signal: null, endedAt: now, reason: `Slurm no longer knows job ${a.siteJobId} and it left no status file` });
      continue;
    }
    // Still queued behind a failed parent: whether a retry of that parent is coming is the follower's call.
    if (merged.state === 'BLOCKED' && row?.state === 'PENDING') continue;
    const end = toAttemptEnd(a, merged, now);
    if (end !== undefined) ended.push(end);
  }
  return ended;
}
