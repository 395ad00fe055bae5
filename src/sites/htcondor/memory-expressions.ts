/**
 * ClassAd expressions of the submit description that grow `request_memory` after
 * out-of-memory holds, release such holds while retries remain, and remove jobs that cannot
 * be helped. Same scheme as the reference plugin (memory × multiplier^NumJobStarts, capped),
 * with one correction: HTCondor 23+ holds an OOM-killed job with code 34 *subcode 102*
 * (older versions used 0), and the startd policy `WANT_HOLD_IF(MEMORY_EXCEEDED, 102, ...)`
 * holds with code 21 subcode 102; the reference only recognised 34/0 and 3/34.
 */

/** Condition "the job is (or was, with `prefix = 'Last'`) held because of memory". */
export function memoryHoldCondition(prefix: '' | 'Last' = ''): string {
  const code = `${prefix}HoldReasonCode`;
  const sub = `${prefix}HoldReasonSubCode`;
  return (
    `(${code} =?= 34 && (${sub} =?= 0 || ${sub} =?= 102)` +
    ` || ${code} =?= 21 && ${sub} =?= 102` +
    ` || ${code} =?= 3 && ${sub} =?= 34)`
  );
}

/** Memory settings of one job, MiB. */
export interface MemoryScaling {
  readonly requestMemory: number;
  /** Growth factor per attempt, > 1. */
  readonly multiplier: number;
  /** Never ask for more than this. */
  readonly limit: number;
}

/** `min({int(M * pow(F, <exponent>)), L})` */
function scaled(s: MemoryScaling, exponent: string): string {
  return `min({int(${s.requestMemory} * pow(${s.multiplier}, ${exponent})), ${s.limit}})`;
}

/**
 * `request_memory`: after a memory hold, memory × multiplier^NumJobStarts (capped);
 * otherwise the larger of the request and the measured `MemoryUsage` (capped). The check
 * uses the `Last*` attributes because it is evaluated after the release, when the job is
 * idle again.
 */
export function formatRequestMemoryExpression(s: MemoryScaling): string {
  return (
    `(LastJobStatus =?= 5 && ${memoryHoldCondition('Last')})` +
    ` ? ${scaled(s, 'NumJobStarts')}` +
    ` : min({max({${s.requestMemory}, MemoryUsage ?: 0}), ${s.limit}})`
  );
}

/** `periodic_release`: a memory-held job is released while retries remain and the cap was not reached yet. */
export function formatPeriodicReleaseExpression(s: MemoryScaling): string {
  return `JobStatus == 5 && NumJobStarts <= JobMaxRetries && ${memoryHoldCondition()} && ${scaled(s, 'NumJobStarts - 1')} < ${s.limit}`;
}

/**
 * `periodic_remove`: a held job is removed once its retries are used up or, for memory
 * holds, once it already ran with the maximum memory. Without scaling a memory hold cannot
 * be helped, so it is removed at once (the reference left such jobs held forever, which
 * stalls the DAG until someone runs condor_rm).
 */
export function formatPeriodicRemoveExpression(s: MemoryScaling | null): string {
  if (s === null) return `JobStatus == 5 && (NumJobStarts > JobMaxRetries || ${memoryHoldCondition()})`;
  return `JobStatus == 5 && (NumJobStarts > JobMaxRetries || ${memoryHoldCondition()} && ${scaled(s, 'NumJobStarts - 1')} == ${s.limit})`;
}

/** `on_exit_hold`: a job killed by a signal (or a shell reporting 128 + signal) is held as if out of memory. */
export const ON_EXIT_HOLD = 'ExitBySignal == true || ExitCode > 128';
/** `on_exit_hold_reason` matching {@link ON_EXIT_HOLD}. */
export const ON_EXIT_HOLD_REASON =
  'ExitBySignal == true ? strcat("Job raised a signal ", string(ExitSignal), ". Handling job as if it has gone over memory limit.")' +
  ' : strcat("Job exit code (", string(ExitCode), ") > 128. Handling job as if it has gone over memory limit.")';
/** `on_exit_hold_subcode` matching {@link ON_EXIT_HOLD} (read back by {@link memoryHoldCondition}). */
export const ON_EXIT_HOLD_SUBCODE = 34;

/** `retry_until`: stop retrying on any of the given exit codes. */
export function formatRetryUntilExpression(codes: readonly number[]): string {
  return `member(ExitCode, {${codes.join(', ')}})`;
}
