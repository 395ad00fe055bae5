import type { GenericWorkflowJob } from '../../workflow/index.js';
import type { JobState, SubmitOptions } from '../site-plugin.js';
import { latestLedgerEntries, readLedger } from './slurm-ledger.js';

/** What the follower knows about one workflow job of the run. */
export interface Tracked {
  readonly job: GenericWorkflowJob;
  jobId: string;
  attempt: number;
  memoryMiB: number;
  held: boolean;
  /** The current attempt was recorded as started. */
  started: boolean;
  /** Ended for good: no retry coming. */
  final: boolean;
  state: JobState | undefined;
  retriesLeft: number;
  misses: number;
  repairs: number;
}

/**
 * The jobs a follower takes over: every job not done whose latest ledger entry is its current
 * Slurm job (submitted or adopted by this submission). An attempt the run state already counts
 * (`previousAttempts`) was recorded as started before.
 */
export function trackSubmittedJobs(options: SubmitOptions): Tracked[] {
  const previous = options.previousAttempts ?? new Map<string, number>();
  const latest = latestLedgerEntries(readLedger(options.workflow.submitPath));
  const out: Tracked[] = [];
  for (const job of options.workflow.jobs) {
    const entry = latest.get(job.name);
    if (options.done?.has(job.name) === true || entry === undefined) continue;
    out.push({
      job, jobId: entry.jobId, attempt: entry.attempt, memoryMiB: entry.memoryMiB, held: entry.held, started: entry.attempt <= (previous.get(job.name) ?? 0),
      final: false, state: undefined, retriesLeft: job.resources.numberOfRetries, misses: 0, repairs: 0,
    });
  }
  return out;
}
