import type { AttemptEnd, RunningAttempt, RunQueryOptions } from '../site-plugin.js';
import { slurmStatusFile } from './job-spec.js';
import { cancelJobs } from './slurm-cli.js';
import { decodeWaitStatus, mergeJobStatus, type SlurmJobStatus } from './slurm-states.js';
import { queryJobs, type SqueueRow } from './squeue-query.js';
import { readWrapperStatus } from './wrapper-status.js';

/** Reason given for a job Slurm holds because a parent failed (the driver records it as pruned). */
export const BLOCKED_END_REASON = 'blocked: a parent failed';

function describeFailure(s: SlurmJobStatus): string | undefined {
  if (!s.infrastructure) return undefined;
  return `Slurm ended the job as ${s.slurmState ?? 'unknown'}${s.reason && s.reason !== 'None' ? ` (${s.reason})` : ''}: an infrastructure failure (time limit, memory, node or launch), not the payload's own exit`;
}

/** How one attempt ended, or undefined while it still waits or runs. */
function toAttemptEnd(a: RunningAttempt, s: SlurmJobStatus, now: number): AttemptEnd | undefined {
  const base = { job: a.job, attempt: a.attempt, exitCode: s.exitCode, signal: s.signal, endedAt: s.endedAt ?? now };
  switch (s.state) {
    case 'SUCCEEDED':
      return { ...base, state: 'succeeded' };
    case 'FAILED': {
      const reason = describeFailure(s);
      return { ...base, state: 'failed', ...(reason !== undefined ? { reason } : {}) };
    }
    case 'DELETED':
      return { ...base, state: 'deleted', reason: `cancelled in Slurm (${s.slurmState ?? 'CANCELLED'})` };
    case 'BLOCKED':
      return { ...base, exitCode: null, signal: null, endedAt: now, state: 'deleted', reason: BLOCKED_END_REASON, blocked: true };
    default:
      return undefined;
  }
}

/**
 * The Slurm site's status: ONE squeue call for every running attempt's job id, merged with the
 * wrapper status files. Returns the attempts that ended: succeeded/failed with the payload's exit
 * code, infrastructure failures (TIMEOUT, OUT_OF_MEMORY, NODE_FAIL, ...) as failed with a reason
 * naming the Slurm state, CANCELLED as deleted. A job waiting on a parent that failed
 * (DependencyNeverSatisfied) is cancelled here and reported deleted with {@link BLOCKED_END_REASON}.
 * A job Slurm no longer knows and that left no status file is lost.
 */
export async function statusSlurm(options: RunQueryOptions): Promise<AttemptEnd[]> {
  const attempts = options.running.filter((a) => a.siteJobId !== null);
  if (attempts.length === 0) return [];
  const rows = await queryJobs({ jobIds: [...new Set(attempts.map((a) => a.siteJobId!))] });
  const byId = new Map<string, SqueueRow>(rows.map((r) => [r.id, r]));
  const now = Date.now();
  const ended: AttemptEnd[] = [];
  const blocked: string[] = [];
  const wrappers = await Promise.all(attempts.map((a) => readWrapperStatus(slurmStatusFile(options.submitPath, a.job, a.attempt))));
  for (const [i, a] of attempts.entries()) {
    const row = byId.get(a.siteJobId!);
    const wrapper = wrappers[i];
    const merged = mergeJobStatus(row ? { state: row.state, reason: row.reason, exit: decodeWaitStatus(row.rawExitCode ?? 0) } : undefined, wrapper);
    if (merged.state === 'UNKNOWN' && row === undefined) {
      ended.push({ job: a.job, attempt: a.attempt, state: 'lost', exitCode: null, signal: null, endedAt: now, reason: `Slurm no longer knows job ${a.siteJobId} and it left no status file` });
      continue;
    }
    const end = toAttemptEnd(a, merged, now);
    if (end === undefined) continue;
    if (merged.state === 'BLOCKED' && row?.state === 'PENDING') blocked.push(a.siteJobId!);
    ended.push(end);
  }
  // Slurm would keep such a job pending forever; its children then become blocked in turn.
  if (blocked.length > 0) await cancelJobs({ jobIds: blocked });
  return ended;
}
