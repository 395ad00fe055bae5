import { hostname } from 'node:os';
import { getSitePlugin, readProcessStart, type JobRecorder, type JobState, type PreparedSite } from '../sites/index.js';
import type { Logger } from '../util/index.js';
import { readGenericWorkflow } from '../workflow/index.js';
import { RunStateStore } from './run-state-store.js';

/** Jobs per state, as the driver sees them while the run progresses. */
export type JobStateCounts = Record<JobState, number>;

/** Options of {@link driveRun}. */
export interface DriveRunOptions {
  /** The run-state database of the run. */
  readonly runState: string;
  /** The submission (first submit or restart) this process drives. */
  readonly submission: number;
  readonly log: Logger;
  /** Aborting cancels the run (running jobs are stopped and recorded as deleted). */
  readonly signal?: AbortSignal;
  /** Called after each job state change (progress display). */
  readonly onProgress?: (counts: Readonly<JobStateCounts>) => void;
}

/** Empty counts for every job state. */
export function emptyJobCounts(): JobStateCounts {
  return { unready: 0, ready: 0, running: 0, succeeded: 0, failed: 0, pruned: 0, deleted: 0, lost: 0 };
}

/**
 * Drives one submission of a run: hands the workflow to its site with the run-state store as
 * recorder; jobs that already succeeded are skipped, attempt numbers and earned memory carry
 * over. For sites that run in the driver this returns when the workflow has ended.
 */
export async function driveRun(options: DriveRunOptions): Promise<{ counts: JobStateCounts; finished: boolean }> {
  const store = RunStateStore.open(options.runState);
  try {
    const meta = store.metadata();
    store.adoptSubmission(options.submission, { driverHost: hostname(), driverPid: process.pid, driverPidStart: readProcessStart(process.pid) });
    const workflow = readGenericWorkflow(meta.workflowFile);
    const jobs = store.jobs();
    const counts = emptyJobCounts();
    const stateOf = new Map(jobs.map((j) => [j.name, j.state]));
    for (const j of jobs) counts[j.state]++;
    const previousAttempts = new Map<string, number>();
    for (const a of store.attempts()) previousAttempts.set(a.job, Math.max(previousAttempts.get(a.job) ?? 0, a.number));
    const recorder: JobRecorder = {
      setJobState: (job, state) => {
        store.setJobState(job, state);
        const before = stateOf.get(job);
        if (before !== undefined) counts[before]--;
        counts[state]++;
        stateOf.set(job, state);
        options.onProgress?.(counts);
      },
      attemptStarted: (a) => store.attemptStarted(a),
      attemptEnded: (a) => store.attemptEnded(a),
    };
    const plugin = getSitePlugin(meta.siteType);
    const started = Date.now();
    options.log.info({ run: meta.id, site: meta.siteType, jobs: jobs.length, done: counts.succeeded }, `Submitting run '${meta.id}' to the ${meta.siteType} site`);
    const result = await plugin.submit({
      workflow,
      prepared: meta.prepared as unknown as PreparedSite,
      recorder,
      done: new Set(jobs.filter((j) => j.state === 'succeeded').map((j) => j.name)),
      previousAttempts,
      memoryMiB: new Map(jobs.map((j) => [j.name, j.memoryMiB])),
      onStarted: (siteRunId) => store.setSiteRunId(options.submission, siteRunId),
      log: options.log,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (result.finished) store.endSubmission(options.submission);
    options.log.info({ run: meta.id, durationMs: Date.now() - started, ...counts }, `Run '${meta.id}' ${result.finished ? 'finished' : 'submitted'}: ${counts.succeeded} of ${jobs.length} jobs succeeded, ${counts.failed} failed, ${counts.pruned} pruned`);
    return { counts, finished: result.finished };
  } finally {
    store.close();
  }
}
