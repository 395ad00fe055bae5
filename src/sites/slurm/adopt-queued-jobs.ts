import { hostname } from 'node:os';
import type { GenericWorkflowJob } from '../../workflow/index.js';
import { attemptLogPaths } from '../local/index.js';
import type { JobRecorder } from '../site-plugin.js';
import type { Logger } from '../../util/index.js';
import { toAttemptEnd } from './attempt-end.js';
import { commandsKey, slurmStatusFile } from './job-spec.js';
import { latestLedgerEntries, readLedger, type LedgerEntry } from './slurm-ledger.js';
import { cancelJobs } from './slurm-cli.js';
import { decodeWaitStatus, isFinalState, mapSlurmState, mergeJobStatus } from './slurm-states.js';
import { parseSlurmTime, queryJobsById } from './squeue-query.js';
import { readWrapperStatus } from './wrapper-status.js';

/** A job of an earlier submission that this one takes over instead of submitting it again. */
export interface AdoptedJob {
  readonly entry: LedgerEntry;
  /** Still waiting in the queue (its dependencies may need the new ids of resubmitted parents). */
  readonly pending: boolean;
}

/** What {@link adoptQueuedJobs} found. */
export interface AdoptionPlan {
  readonly adopted: ReadonlyMap<string, AdoptedJob>;
  /** The highest attempt the ledger knows per job: new attempts are numbered after it. */
  readonly lastAttempt: ReadonlyMap<string, number>;
}

/** Options of {@link adoptQueuedJobs}. */
export interface AdoptQueuedJobsOptions {
  readonly submitPath: string;
  /** Jobs to run in this submission (not done). */
  readonly jobs: readonly GenericWorkflowJob[];
  readonly previousAttempts: ReadonlyMap<string, number>;
  readonly recorder: JobRecorder;
  readonly log: Logger;
}

/**
 * Before a (re)submission: finds the run's jobs Slurm still has, from the ledger and ONE squeue
 * call. A job still queued or running with unchanged commands is adopted (followed, not
 * submitted twice); one whose commands changed (a restart with amended configs) is cancelled
 * and submitted again. A job whose latest attempt succeeded in Slurm although the run state
 * never heard of it (its driver died) is adopted too, so the follower records it; the final
 * job is always run again. Ends of attempts the run state never recorded are recorded here.
 */
export async function adoptQueuedJobs(options: AdoptQueuedJobsOptions): Promise<AdoptionPlan> {
  const entries = readLedger(options.submitPath);
  if (entries.length === 0) return { adopted: new Map(), lastAttempt: new Map() };
  const wanted = new Map(options.jobs.map((j) => [j.name, j]));
  const latest = [...latestLedgerEntries(entries).values()].filter((e) => wanted.has(e.job));
  const lastAttempt = new Map(latest.map((e) => [e.job, e.attempt]));
  const rowOf = await queryJobsById(latest.map((e) => e.jobId));
  const adopted = new Map<string, AdoptedJob>();
  const stale: string[] = [];
  const now = Date.now();
  for (const entry of latest) {
    const job = wanted.get(entry.job)!;
    const row = rowOf(entry.jobId);
    const mapped = row === undefined ? undefined : mapSlurmState(row.state, row.reason);
    const same = entry.commandsKey === commandsKey(job);
    const queued = mapped !== undefined && (!isFinalState(mapped.state) || (mapped.state === 'BLOCKED' && row?.state === 'PENDING'));
    if (queued) {
      if (same) adopted.set(job.name, { entry, pending: mapped.state !== 'RUNNING' });
      else stale.push(entry.jobId);
      continue;
    }
    const wrapper = await readWrapperStatus(slurmStatusFile(options.submitPath, entry.job, entry.attempt));
    const merged = mergeJobStatus(row ? { state: row.state, reason: row.reason, exit: decodeWaitStatus(row.rawExitCode ?? 0) } : undefined, wrapper);
    if (merged.state === 'SUCCEEDED' && same && !job.runAlways) {
      adopted.set(job.name, { entry, pending: false });
      continue;
    }
    const end = toAttemptEnd(entry, merged, now);
    const ran = wrapper !== undefined || merged.state === 'FAILED' || merged.state === 'SUCCEEDED';
    if (end !== undefined && ran && entry.attempt > (options.previousAttempts.get(job.name) ?? 0)) {
      const startedAt = wrapper?.startedAt ?? parseSlurmTime(row?.startTime ?? null) ?? entry.submittedAt;
      options.recorder.attemptStarted({ job: job.name, attempt: entry.attempt, host: wrapper?.host ?? row?.nodeList ?? hostname(), pid: null, pidStart: null, siteJobId: entry.jobId, memoryMiB: entry.memoryMiB, startedAt, ...attemptLogPaths(options.submitPath, job, entry.attempt) });
      options.recorder.attemptEnded(end);
    }
  }
  if (stale.length > 0) await cancelJobs({ jobIds: stale });
  if (adopted.size > 0 || stale.length > 0) {
    options.log.info({ adopted: adopted.size, cancelled: stale.length }, `Slurm site: adopted ${adopted.size} job(s) still queued, running or succeeded; cancelled ${stale.length} whose commands changed`);
  }
  return { adopted, lastAttempt };
}
