import type { GraphDataId } from '../graph/index.js';
import { compileErrorPatterns, extractErrorLines } from './error-lines.js';
import type { QuantumStateRow } from './quantum-states.js';
import { classifyAttempt, type RunSnapshot } from './run-report.js';
import type { AttemptRow } from './run-state-store.js';

/** A quantum that blocked nothing itself but was blocked. */
export interface BlockedQuantum {
  readonly label: string;
  readonly dataId: GraphDataId;
  readonly quantumId: string;
}

/** A failed quantum, with what is needed to debug it. */
export interface QuantumFailure {
  readonly label: string;
  readonly dataId: GraphDataId;
  readonly quantumId: string;
  readonly job: string | null;
  /** The job attempt it failed in. */
  readonly attempt: number | null;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly host: string | null;
  readonly error: string | null;
  /** Lines of its log (and its job's stderr) matching the error patterns. */
  readonly errorLines: readonly string[];
  /** Absolute path of the quantum's log. */
  readonly logPath: string | null;
  /** Absolute path of the job attempt's stderr. */
  readonly jobStderr: string | null;
  /** Quanta it blocked (directly or through other blocked quanta). */
  readonly blocked: readonly BlockedQuantum[];
}

/** A job that failed for a reason other than a failed quantum (killed, lost, could not start). */
export interface JobFailure {
  readonly job: string;
  readonly label: string;
  readonly attempt: number;
  readonly state: string;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly host: string;
  readonly reason: string | null;
  readonly errorLines: readonly string[];
  readonly stdout: string;
  readonly stderr: string;
  /** Quanta of the job that have no record (never ran, or were killed while running). */
  readonly quantaWithoutRecord: number;
}

/** Failures of a run: failed quanta (blocked ones under them) and infrastructure failures of jobs. */
export interface RunFailures {
  readonly quanta: readonly QuantumFailure[];
  readonly jobs: readonly JobFailure[];
}

/** Options of {@link collectFailures}. */
export interface CollectFailuresOptions {
  /** Only this task or job label. */
  readonly label?: string;
  /** Only quanta whose data ID has all these values (`visit: '100'`). */
  readonly dataId?: Readonly<Record<string, string>>;
  /** Error patterns (default: the run's `errorPatterns`). */
  readonly patterns?: readonly string[];
  readonly maxLines?: number;
}

function matchesDataId(dataId: GraphDataId, wanted: Readonly<Record<string, string>> | undefined): boolean {
  return wanted === undefined || Object.entries(wanted).every(([k, v]) => dataId[k] !== undefined && String(dataId[k]) === v);
}

function attemptOf(attempts: readonly AttemptRow[], q: QuantumStateRow): AttemptRow | undefined {
  const mine = attempts.filter((a) => a.job === q.job);
  const at = q.record ? q.record.startTime / 1000 : undefined;
  return (at !== undefined ? mine.find((a) => a.startedAt <= at + 1000 && (a.endedAt === null || at <= a.endedAt + 1000) && a.state !== 'succeeded') : undefined) ?? mine.filter((a) => a.state !== 'succeeded').at(-1);
}

/**
 * The failures of a run, as `report --failed` and `logs` show them: each failed quantum with
 * its attempt, exit, host, matching log lines and log path, and the quanta it blocked; then
 * each job whose last attempt failed outside the payload.
 */
export function collectFailures(snapshot: RunSnapshot, options: CollectFailuresOptions = {}): RunFailures {
  const patterns = compileErrorPatterns(options.patterns ?? snapshot.run.errorPatterns);
  const max = options.maxLines ?? 8;
  const blockedBy = new Map<number, BlockedQuantum[]>();
  for (const q of snapshot.quanta) {
    if (q.state !== 'blocked' || q.blockedBy === undefined) continue;
    blockedBy.set(q.blockedBy, [...(blockedBy.get(q.blockedBy) ?? []), { label: q.label, dataId: q.dataId, quantumId: q.quantumId }]);
  }
  const quanta: QuantumFailure[] = [];
  for (const q of snapshot.quanta) {
    if (q.state !== 'failed') continue;
    if (options.label !== undefined && q.label !== options.label) continue;
    if (!matchesDataId(q.dataId, options.dataId)) continue;
    const attempt = attemptOf(snapshot.attempts, q);
    const lines = [...(q.logPath ? extractErrorLines(q.logPath, { patterns, maxLines: max }) : [])];
    if (lines.length === 0 && attempt) lines.push(...extractErrorLines(attempt.stderr, { patterns, maxLines: max }));
    quanta.push({
      label: q.label, dataId: q.dataId, quantumId: q.quantumId, job: q.job, attempt: attempt?.number ?? null, exitCode: attempt?.exitCode ?? q.record?.exitCode ?? null,
      signal: attempt?.signal ?? null, host: q.record?.host ?? attempt?.host ?? null, error: q.record?.error ?? null, errorLines: lines, logPath: q.logPath,
      jobStderr: attempt?.stderr ?? null, blocked: blockedBy.get(q.index) ?? [],
    });
  }
  const lastAttempt = new Map<string, AttemptRow>();
  for (const a of snapshot.attempts) if ((lastAttempt.get(a.job)?.number ?? 0) < a.number) lastAttempt.set(a.job, a);
  const withoutRecord = new Map<string, number>();
  for (const q of snapshot.quanta) if (q.job !== null && q.record === null) withoutRecord.set(q.job, (withoutRecord.get(q.job) ?? 0) + 1);
  const jobs: JobFailure[] = [];
  const labelOf = new Map(snapshot.jobs.map((j) => [j.name, j.label]));
  for (const a of lastAttempt.values()) {
    const c = classifyAttempt(a);
    if (c?.kind !== 'infrastructure') continue;
    const label = labelOf.get(a.job) ?? a.job;
    if (options.label !== undefined && label !== options.label) continue;
    if (options.dataId !== undefined) continue;
    jobs.push({
      job: a.job, label, attempt: a.number, state: a.state, exitCode: a.exitCode, signal: a.signal, host: a.host, reason: a.reason,
      errorLines: extractErrorLines(a.stderr, { patterns, maxLines: max }), stdout: a.stdout, stderr: a.stderr, quantaWithoutRecord: withoutRecord.get(a.job) ?? 0,
    });
  }
  return { quanta, jobs };
}
