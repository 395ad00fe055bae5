import { hostname } from 'node:os';
import { getSitePlugin, readProcessStart, type JobRecorder, type JobState, type PreparedSite, type SubmitOptions } from '../sites/index.js';
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
 * over. For sites that run in the driver, and sites that can be followed (`follow`), this
 * returns when the workflow has ended.
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
    const countState = (job: string, state: JobState): void => {
      const before = stateOf.get(job);
      if (before !== undefined) counts[before]--;
      counts[state]++;
      stateOf.set(job, state);
      options.onProgress?.(counts);
    };
    const recorder: JobRecorder = {
      setJobState: (job, state) => {
        store.setJobState(job, state);
        countState(job, state);
      },
      attemptStarted: (a) => store.attemptStarted(a),
      attemptEnded: (a) => store.attemptEnded(a),
      batch: (fn) => store.batch(fn),
    };
    const plugin = getSitePlugin(meta.siteType);
    const started = Date.now();
    options.log.info({ run: meta.id, site: meta.siteType, jobs: jobs.length, done: counts.succeeded }, `Submitting run '${meta.id}' to the ${meta.siteType} site`);
    const submitOptions: SubmitOptions = {
      workflow,
      prepared: meta.prepared as unknown as PreparedSite,
      recorder,
      done: new Set(jobs.filter((j) => j.state === 'succeeded').map((j) => j.name)),
      previousAttempts,
      memoryMiB: new Map(jobs.map((j) => [j.name, j.memoryMiB])),
      onStarted: (siteRunId) => store.setSiteRunId(options.submission, siteRunId),
      log: options.log,
      ...(options.signal ? { signal: options.signal } : {}),
    };
    let result = await plugin.submit(submitOptions);
    // A site that runs on its own is followed here, in the foreground or in the detached driver.
    if (!result.finished && !plugin.capabilities.runsInDriver && plugin.follow) {
      await plugin.follow({ ...submitOptions, recorder: makeFollowRecorder(store, recorder, countState) }, result.siteRunId);
      result = { ...result, finished: true };
    }
    if (result.finished) store.endSubmission(options.submission);
    options.log.info({ run: meta.id, durationMs: Date.now() - started, ...counts }, `Run '${meta.id}' ${result.finished ? 'finished' : 'submitted'}: ${counts.succeeded} of ${jobs.length} jobs succeeded, ${counts.failed} failed, ${counts.pruned} pruned`);
    return { counts, finished: result.finished };
  } finally {
    store.close();
  }
}

/**
 * The recorder of a followed run. `bps-ts status` and `report` also ask the site about running
 * attempts and record the ends they find (and Slurm's status cancels blocked jobs as it reports
 * them), so an end the follower sees later may already be in the store: it keeps the first one
 * (a blocked job stays pruned instead of turning deleted) and only brings the counts up to date.
 */
function makeFollowRecorder(store: RunStateStore, recorder: JobRecorder, countState: (job: string, state: JobState) => void): JobRecorder {
  const recordedElsewhere = new Set<string>();
  return {
    attemptStarted: (a) => recorder.attemptStarted(a),
    attemptEnded: (a) => {
      const row = store.attempts(a.job).find((r) => r.number === a.attempt);
      if (row !== undefined && row.state !== 'running') recordedElsewhere.add(a.job);
      else recorder.attemptEnded(a);
    },
    setJobState: (job, state) => {
      // 'ready' after an end recorded elsewhere is the follower's retry: it wins over 'failed'.
      if (!recordedElsewhere.delete(job) || state === 'ready') return recorder.setJobState(job, state);
      const stored = store.jobs().find((j) => j.name === job)?.state;
      if (stored !== undefined) countState(job, stored);
    },
  };
}
