import { constants } from 'node:os';
import type { WrapperStatus } from './wrapper-status.js';

/** Site-neutral state of a Slurm job, the same names the HTCondor parsers report. */
export const SlurmReportState = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'HELD', 'DELETED', 'BLOCKED', 'UNKNOWN'] as const;
/** One of {@link SlurmReportState}. */
export type SlurmReportState = (typeof SlurmReportState)[number];

/** A Slurm state mapped to a site-neutral one. */
export interface MappedSlurmState {
  readonly state: SlurmReportState;
  /** The job failed (or was cancelled) for reasons outside the payload: time limit, memory, node, preemption. */
  readonly infrastructure: boolean;
}

/** Slurm end states that are not the payload's fault (retrying may help). */
const INFRASTRUCTURE_FAILURES = new Set(['TIMEOUT', 'OUT_OF_MEMORY', 'NODE_FAIL', 'PREEMPTED', 'BOOT_FAIL', 'DEADLINE']);
const RUNNING = new Set(['CONFIGURING', 'RUNNING', 'COMPLETING', 'STAGE_OUT', 'SIGNALING', 'RESIZING']);
const HELD = new Set(['SUSPENDED', 'STOPPED', 'REQUEUE_HOLD', 'SPECIAL_EXIT']);
const HELD_REASONS = new Set(['JobHeldUser', 'JobHeldAdmin']);
/** A job whose `afterok` parent failed waits forever (or is cancelled with this reason). */
export const BLOCKED_REASON = 'DependencyNeverSatisfied';

/**
 * Maps a Slurm job state (long name as squeue/scontrol print it; sacct's `CANCELLED by 0` and
 * `CANCELLED+` are accepted) and its reason to a site-neutral state. TIMEOUT, OUT_OF_MEMORY,
 * NODE_FAIL, PREEMPTED, BOOT_FAIL, DEADLINE are infrastructure failures; CANCELLED is DELETED
 * (also infrastructure: not the payload's fault); a job pending or cancelled on
 * `DependencyNeverSatisfied` is BLOCKED; FAILED with `JobLaunchFailure` (output file not
 * writable, batch shell killed) is an infrastructure failure unless the wrapper says the payload
 * exited (see {@link mergeJobStatus}).
 */
export function mapSlurmState(state: string, reason = ''): MappedSlurmState {
  const s = (state.trim().split(/\s/)[0] ?? '').replace(/\+$/, '').toUpperCase();
  if (reason === BLOCKED_REASON && (s === 'PENDING' || s === 'CANCELLED')) return { state: 'BLOCKED', infrastructure: false };
  if (s === 'PENDING' || s === 'REQUEUED' || s === 'REQUEUE_FED') {
    return { state: HELD_REASONS.has(reason) ? 'HELD' : 'PENDING', infrastructure: false };
  }
  if (RUNNING.has(s)) return { state: 'RUNNING', infrastructure: false };
  if (HELD.has(s)) return { state: 'HELD', infrastructure: false };
  if (s === 'COMPLETED') return { state: 'SUCCEEDED', infrastructure: false };
  if (s === 'FAILED') return { state: 'FAILED', infrastructure: reason === 'JobLaunchFailure' };
  if (INFRASTRUCTURE_FAILURES.has(s)) return { state: 'FAILED', infrastructure: true };
  if (s === 'CANCELLED' || s === 'REVOKED') return { state: 'DELETED', infrastructure: true };
  return { state: 'UNKNOWN', infrastructure: false };
}

/** Whether a site-neutral state is final (BLOCKED counts: such a job will never run). */
export function isFinalState(state: SlurmReportState): boolean {
  return state === 'SUCCEEDED' || state === 'FAILED' || state === 'DELETED' || state === 'BLOCKED';
}

/** An exit as a code or a signal. */
export interface DecodedExit {
  readonly exitCode: number | null;
  /** Signal name (`SIGTERM`), or `SIG53` for numbers with no name (Slurm's 53 = launch failed). */
  readonly signal: string | null;
}

/** The name of signal number `n` (`SIGKILL`), or `SIG<n>` when it has none. */
export function signalName(n: number): string {
  const name = Object.entries(constants.signals).find(([, v]) => v === n)?.[0];
  return name ?? `SIG${n}`;
}

/** Decodes squeue's raw `exit_code` (a wait status): signal in the low 7 bits, else the code in bits 8-15. */
export function decodeWaitStatus(raw: number): DecodedExit {
  const sig = raw & 0x7f;
  if (sig !== 0) return { exitCode: null, signal: signalName(sig) };
  return { exitCode: (raw >> 8) & 0xff, signal: null };
}

/** Decodes scontrol/sacct's `ExitCode=code:signal`. */
export function decodeExitPair(text: string): DecodedExit {
  const m = /^(\d+):(\d+)$/.exec(text.trim());
  if (m === null) return { exitCode: null, signal: null };
  const sig = Number(m[2]);
  return sig !== 0 ? { exitCode: null, signal: signalName(sig) } : { exitCode: Number(m[1]), signal: null };
}

/** What Slurm says about one job, as far as the merge needs it. */
export interface SlurmJobFacts {
  readonly state: string;
  readonly reason: string;
  readonly exit: DecodedExit;
}

/** A job's status merged from Slurm and from the wrapper's status file. */
export interface SlurmJobStatus extends MappedSlurmState, DecodedExit {
  /** Slurm's own state and reason, null when Slurm no longer knows the job. */
  readonly slurmState: string | null;
  readonly reason: string | null;
  readonly host: string | null;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  readonly peakRssKb: number | null;
}

/**
 * Merges Slurm's view (squeue/scontrol; undefined when the job has been purged) with the
 * wrapper's status file (undefined when the job never started). The exit code from the file wins
 * when present: for COMPLETED/FAILED jobs it decides between SUCCEEDED and FAILED, so a
 * `JobLaunchFailure` of a payload that did exit is the payload's failure. Infrastructure end states
 * (TIMEOUT, OUT_OF_MEMORY, ...) stay as Slurm says. A purged job is judged by the file alone.
 */
export function mergeJobStatus(slurm: SlurmJobFacts | undefined, wrapper: WrapperStatus | undefined): SlurmJobStatus {
  const exited = wrapper?.phase === 'exited' && wrapper.exitCode !== null ? wrapper.exitCode : null;
  const base = {
    slurmState: slurm?.state ?? null,
    reason: slurm?.reason ?? null,
    host: wrapper?.host ?? null,
    startedAt: wrapper?.startedAt ?? null,
    endedAt: wrapper?.endedAt ?? null,
    peakRssKb: wrapper?.peakRssKb ?? null,
  };
  if (slurm === undefined) {
    if (exited !== null) return { ...base, state: exited === 0 ? 'SUCCEEDED' : 'FAILED', infrastructure: false, exitCode: exited, signal: null };
    if (wrapper?.phase === 'signalled') return { ...base, state: 'FAILED', infrastructure: true, exitCode: null, signal: wrapper.signal };
    return { ...base, state: 'UNKNOWN', infrastructure: false, exitCode: null, signal: null };
  }
  const mapped = mapSlurmState(slurm.state, slurm.reason);
  const slurmName = (slurm.state.trim().split(/\s/)[0] ?? '').replace(/\+$/, '').toUpperCase();
  if (exited !== null && (slurmName === 'COMPLETED' || slurmName === 'FAILED')) {
    return { ...base, state: exited === 0 ? 'SUCCEEDED' : 'FAILED', infrastructure: false, exitCode: exited, signal: null };
  }
  if (!isFinalState(mapped.state)) return { ...base, ...mapped, exitCode: null, signal: null };
  if (exited !== null) return { ...base, ...mapped, exitCode: exited, signal: null };
  const signal = slurm.exit.signal ?? (wrapper?.phase === 'signalled' ? wrapper.signal : null);
  // Slurm reports 0 for jobs that never ran (blocked, cancelled while pending): that is no exit code.
  const neverRan = wrapper === undefined && slurmName !== 'COMPLETED' && slurm.exit.exitCode === 0;
  return { ...base, ...mapped, exitCode: signal === null && !neverRan ? slurm.exit.exitCode : null, signal };
}
