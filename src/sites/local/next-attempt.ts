import type { GenericWorkflowJob } from '../../workflow/index.js';

type JobResources = GenericWorkflowJob['resources'];

/** Whether an attempt's end looks like the out-of-memory killer (SIGKILL, or exit 137 from a shell). */
export function looksOutOfMemory(end: { exitCode: number | null; signal: string | null }): boolean {
  return end.signal === 'SIGKILL' || end.exitCode === 137;
}

/** Whether a failed attempt may be retried: signals always, exit codes unless listed in `retryUnlessExit`. */
export function isRetryable(resources: JobResources, end: { exitCode: number | null; signal: string | null }): boolean {
  if (end.signal !== null) return true;
  return end.exitCode === null || !resources.retryUnlessExit.includes(end.exitCode);
}

/**
 * Memory of the next attempt, MiB: multiplied by `memoryMultiplier` after an out-of-memory
 * failure, capped at `requestMemoryMax` (or `memoryLimit`); unchanged otherwise.
 */
export function nextMemory(resources: JobResources, current: number, end: { exitCode: number | null; signal: string | null }): number {
  if (resources.memoryMultiplier === null || !looksOutOfMemory(end)) return current;
  const cap = resources.requestMemoryMax ?? resources.memoryLimit ?? Number.POSITIVE_INFINITY;
  return Math.max(current, Math.min(Math.ceil(current * resources.memoryMultiplier), cap));
}
