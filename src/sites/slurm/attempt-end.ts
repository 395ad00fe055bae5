import type { AttemptEnd } from '../site-plugin.js';
import { signalName, type SlurmJobStatus } from './slurm-states.js';

/** Reason given for a job Slurm holds because a parent failed (the driver records it as pruned). */
export const BLOCKED_END_REASON = 'blocked: a parent failed';

/**
 * A payload exit as the site reports it: a shell reports a child killed by signal n as exit
 * code 128+n, so the wrapper's 137 becomes `SIGKILL` (as the local site sees it from the
 * process itself). That is what makes an out-of-memory kill retryable with more memory.
 */
export function toPayloadExit(exit: { exitCode: number | null; signal: string | null }): { exitCode: number | null; signal: string | null } {
  const code = exit.exitCode;
  if (exit.signal === null && code !== null && code > 128 && code <= 128 + 64) return { exitCode: null, signal: signalName(code - 128) };
  return exit;
}

/** Whether an end counts as out of memory: Slurm said OUT_OF_MEMORY, or the payload was killed (SIGKILL, 137). */
export function isOutOfMemoryEnd(end: { exitCode: number | null; signal: string | null }, slurmState: string | null): boolean {
  return slurmState === 'OUT_OF_MEMORY' || end.signal === 'SIGKILL' || end.exitCode === 137;
}

function describeFailure(s: SlurmJobStatus): string | undefined {
  if (!s.infrastructure) return undefined;
  return `Slurm ended the job as ${s.slurmState ?? 'unknown'}${s.reason && s.reason !== 'None' ? ` (${s.reason})` : ''}: an infrastructure failure (time limit, memory, node or launch), not the payload's own exit`;
}

/** How one attempt ended according to its merged status, or undefined while it still waits or runs. */
export function toAttemptEnd(a: { job: string; attempt: number }, s: SlurmJobStatus, now: number): AttemptEnd | undefined {
  const exit = toPayloadExit(s);
  const base = { job: a.job, attempt: a.attempt, exitCode: exit.exitCode, signal: exit.signal, endedAt: s.endedAt ?? now };
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
