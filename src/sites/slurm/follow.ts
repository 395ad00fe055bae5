import { hostname } from 'node:os';
import type { AttemptEnd, RunningAttempt, SubmitOptions } from '../site-plugin.js';
import { cancelSlurm } from './cancel.js';
import { slurmJobName, slurmStatusFile } from './job-spec.js';
import type { PreparedSlurmSettings } from './prepare.js';
import { queryJobs } from './squeue-query.js';
import { BLOCKED_END_REASON, statusSlurm } from './status.js';
import { readWrapperStatus } from './wrapper-status.js';

/** Poll interval when the prepared settings carry none (older submit directories). */
const DEFAULT_POLL_SECONDS = 1;
/** Consecutive failed polls after which following gives up (the run goes on in Slurm). */
const MAX_POLL_FAILURES = 5;

/** The job state recorded for an attempt end: a job Slurm blocked because a parent failed is pruned. */
function jobStateOf(end: AttemptEnd): 'succeeded' | 'failed' | 'deleted' | 'lost' | 'pruned' {
  return end.blocked === true || end.reason === BLOCKED_END_REASON ? 'pruned' : end.state;
}

/**
 * The attempts of this submission, with the Slurm job ids found through the run's comment (the
 * newest job per name: an earlier submission of the run may have left its own). A job without a
 * queue entry gets no id; its wrapper status file alone then says whether it ended.
 */
async function findAttempts(options: SubmitOptions, settings: PreparedSlurmSettings): Promise<RunningAttempt[]> {
  const rows = await queryJobs({ comment: settings.comment });
  const newest = new Map<string, string>();
  for (const r of rows) {
    const before = newest.get(r.name);
    if (before === undefined || Number.parseInt(r.jobId, 10) > Number.parseInt(before, 10)) newest.set(r.name, r.id);
  }
  const host = hostname();
  return options.workflow.jobs
    .filter((j) => options.done?.has(j.name) !== true)
    .map((j) => ({
      job: j.name,
      attempt: (options.previousAttempts?.get(j.name) ?? 0) + 1,
      host,
      pid: null,
      pidStart: null,
      siteJobId: newest.get(slurmJobName(settings.runName, j.name)) ?? null,
    }));
}

/** Ends of attempts that have no Slurm job id: from their status file, else lost. */
async function endUnqueued(options: SubmitOptions, attempts: readonly RunningAttempt[]): Promise<AttemptEnd[]> {
  const now = Date.now();
  return Promise.all(
    attempts.map(async (a): Promise<AttemptEnd> => {
      const status = await readWrapperStatus(slurmStatusFile(options.workflow.submitPath, a.job, a.attempt));
      const exit = status?.exitCode ?? null;
      if (status !== undefined && exit !== null) return { job: a.job, attempt: a.attempt, state: exit === 0 ? 'succeeded' : 'failed', exitCode: exit, signal: null, endedAt: now };
      return { job: a.job, attempt: a.attempt, state: 'lost', exitCode: null, signal: null, endedAt: now, reason: `Slurm does not list job '${a.job}' of this run and it left no exit status` };
    }),
  );
}

function record(options: SubmitOptions, ends: readonly AttemptEnd[]): void {
  for (const e of ends) {
    options.recorder.attemptEnded(e);
    options.recorder.setJobState(e.job, jobStateOf(e));
  }
}

/**
 * Follows a submitted Slurm run until every attempt of this submission has ended, polling
 * {@link statusSlurm} (one squeue call per round) every `pollSeconds` of the prepared settings
 * and recording each end; a job blocked by a failed parent is recorded as pruned. A few
 * failed polls in a row are tolerated (a busy controller). Aborting
 * `options.signal` cancels the run's jobs, records them as deleted and returns.
 */
export async function followSlurm(options: SubmitOptions, siteRunId: string): Promise<void> {
  const settings = options.prepared.settings as unknown as PreparedSlurmSettings;
  const intervalMs = (typeof settings.pollSeconds === 'number' && settings.pollSeconds > 0 ? settings.pollSeconds : DEFAULT_POLL_SECONDS) * 1000;
  const submitPath = options.workflow.submitPath;
  const attempts = await findAttempts(options, settings);
  record(options, await endUnqueued(options, attempts.filter((a) => a.siteJobId === null)));
  let running = attempts.filter((a) => a.siteJobId !== null);
  let failures = 0;
  options.log.info({ siteRunId, running: running.length, intervalMs }, `Slurm site: following ${running.length} jobs`);
  while (running.length > 0) {
    if (options.signal?.aborted === true) {
      const ends = await cancelSlurm({ submitPath, siteRunId, running });
      const now = Date.now();
      const cancelled = new Set(ends.map((e) => e.job));
      record(options, [...ends, ...running.filter((a) => !cancelled.has(a.job)).map((a) => ({ job: a.job, attempt: a.attempt, state: 'deleted' as const, exitCode: null, signal: null, endedAt: now, reason: 'cancelled' }))]);
      return;
    }
    let ends: AttemptEnd[];
    try {
      ends = await statusSlurm({ submitPath, siteRunId, running });
      failures = 0;
    } catch (err) {
      // A busy controller may refuse one squeue call; a run of hours should not end on it.
      if (++failures >= MAX_POLL_FAILURES) throw err;
      options.log.warn({ siteRunId, err: String(err), failures }, 'Slurm site: polling failed; trying again');
      ends = [];
    }
    record(options, ends);
    const ended = new Set(ends.map((e) => `${e.job}#${e.attempt}`));
    running = running.filter((a) => !ended.has(`${a.job}#${a.attempt}`));
    if (running.length > 0) await sleep(intervalMs, options.signal);
  }
}

/** Waits `ms`, or less when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
