import { writeFileSync } from 'node:fs';
import type { GenericWorkflow, GenericWorkflowJob } from '../../workflow/index.js';
import { SiteError } from '../site-error.js';
import type { SubmitOptions, SubmitResult } from '../site-plugin.js';
import { adoptQueuedJobs } from './adopt-queued-jobs.js';
import { renderBatchScript } from './batch-script.js';
import { groupArrayJobs } from './group-array-jobs.js';
import { arrayIdOf, dependenciesOf, updateDependencies, type DependencyUpdate } from './job-dependencies.js';
import { buildArrayJobSpec, buildBatchJobSpec, commandsKey, slurmScriptFile } from './job-spec.js';
import type { PreparedSlurmSettings } from './prepare.js';
import { createRateLimiter } from './rate-limiter.js';
import { appendLedger, type LedgerEntry } from './slurm-ledger.js';
import { cancelJobs, submitBatchJob } from './slurm-cli.js';

/** The site run id of a Slurm run: the run name, which every job's comment carries. */
export function slurmRunId(runName: string): string {
  return `slurm:${runName}`;
}

/** Jobs with every parent before them (the order sbatch needs for dependencies on job ids). */
export function sortJobsByDependency(workflow: GenericWorkflow): GenericWorkflowJob[] {
  const byName = new Map(workflow.jobs.map((j) => [j.name, j]));
  const sorted: GenericWorkflowJob[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (job: GenericWorkflowJob): void => {
    const s = state.get(job.name);
    if (s === 'done') return;
    if (s === 'visiting') throw new SiteError(`workflow '${workflow.name}' has a dependency cycle through job '${job.name}'`, { site: 'slurm', hint: 'regenerate the workflow with bps-ts transform' });
    state.set(job.name, 'visiting');
    for (const p of job.parents) {
      const parent = byName.get(p);
      if (parent !== undefined) visit(parent);
    }
    state.set(job.name, 'done');
    sorted.push(job);
  };
  for (const job of workflow.jobs) visit(job);
  return sorted;
}

/**
 * Whether a job that runs always (the final job) is submitted held: when a parent may be
 * retried, `afterany` would start it on the parent's first failure, before the retry ran. The
 * follower releases it once every parent has ended for good.
 */
export function needsHold(job: GenericWorkflowJob, byName: ReadonlyMap<string, GenericWorkflowJob>, done: ReadonlySet<string>): boolean {
  return job.runAlways && job.parents.some((p) => !done.has(p) && (byName.get(p)?.resources.numberOfRetries ?? 0) > 0);
}

/** Writes the batch script of one attempt (or of an array of first attempts) unless prepare's can be used. */
function writeScript(options: SubmitOptions, settings: PreparedSlurmSettings, members: readonly { job: GenericWorkflowJob; attempt: number }[], memoryMiB: number, firstSubmission: boolean): { path: string; stdout: string; stderr: string } {
  const { workflow } = options;
  const first = members[0]!;
  if (members.length > 1) {
    const spec = buildArrayJobSpec({ workflow, members, settings, cwd: settings.cwd, memoryMiB });
    const path = slurmScriptFile(workflow.submitPath, `${first.job.name}.array`, first.attempt);
    writeFileSync(path, renderBatchScript(spec), { mode: 0o755 });
    return { path, stdout: spec.stdout, stderr: spec.stderr };
  }
  const spec = buildBatchJobSpec({ workflow, job: first.job, settings, cwd: settings.cwd, attempt: first.attempt, memoryMiB });
  const prepared = settings.scripts[first.job.name];
  // A restart may run amended commands: prepare's scripts serve the first submission only.
  if (firstSubmission && first.attempt === 1 && memoryMiB === first.job.resources.requestMemory && prepared !== undefined) return { path: prepared, stdout: spec.stdout, stderr: spec.stderr };
  const path = slurmScriptFile(workflow.submitPath, first.job.name, first.attempt);
  writeFileSync(path, renderBatchScript(spec), { mode: 0o755 });
  return { path, stdout: spec.stdout, stderr: spec.stderr };
}

/**
 * Submits a workflow to Slurm and returns at once (the batch system runs it; the follower
 * records it): jobs in dependency order, `afterok` on their parents' job ids (`afterany` for
 * jobs that run always, held when a parent may be retried), throttled to
 * `submissionsPerSecond`; with `useJobArrays`, same-label jobs with identical requests and
 * parents as one array. Every sbatch goes to the run's ledger. Attempts are NOT recorded as
 * started here: a queued job has not started; the follower records it once Slurm runs it.
 * Jobs in `done` are skipped; jobs of an earlier submission still queued or running are adopted
 * (restart), their dependencies pointed at resubmitted parents. Aborting, or an sbatch
 * failure, cancels the run's jobs and records them as deleted.
 */
export async function submitSlurm(options: SubmitOptions): Promise<SubmitResult> {
  const { workflow, recorder, log } = options;
  const settings = options.prepared.settings as unknown as PreparedSlurmSettings;
  const limiter = createRateLimiter({ perSecond: settings.submissionsPerSecond });
  const siteRunId = slurmRunId(workflow.name);
  const done = options.done ?? new Set<string>();
  const byName = new Map(workflow.jobs.map((j) => [j.name, j]));
  const ids = new Map<string, string>();
  const fresh = new Set<string>();
  options.onStarted?.(siteRunId);
  const started = Date.now();
  const sorted = sortJobsByDependency(workflow);
  const todo = sorted.filter((j) => !done.has(j.name));
  for (const j of sorted) if (done.has(j.name)) recorder.setJobState(j.name, 'succeeded');
  const plan = await adoptQueuedJobs({ submitPath: workflow.submitPath, jobs: todo, previousAttempts: options.previousAttempts ?? new Map(), recorder, log });
  for (const [name, a] of plan.adopted) ids.set(name, a.entry.jobId);
  const attemptOf = (job: GenericWorkflowJob): number => Math.max(options.previousAttempts?.get(job.name) ?? 0, plan.lastAttempt.get(job.name) ?? 0) + 1;
  const memoryOf = (job: GenericWorkflowJob): number => options.memoryMiB?.get(job.name) ?? job.resources.requestMemory;
  const groups = settings.useJobArrays ? groupArrayJobs(todo.filter((j) => !plan.adopted.has(j.name)), memoryOf) : new Map<string, GenericWorkflowJob[]>();

  const stop = async (why: string): Promise<void> => {
    await cancelJobs({ jobIds: [...ids.values()] });
    const now = Date.now();
    for (const [name, a] of plan.adopted) {
      if (a.entry.attempt <= (options.previousAttempts?.get(name) ?? 0)) recorder.attemptEnded({ job: name, attempt: a.entry.attempt, state: 'deleted', exitCode: null, signal: null, endedAt: now, reason: why });
    }
    for (const j of todo) recorder.setJobState(j.name, 'deleted');
  };

  try {
    for (const job of todo) {
      if (options.signal?.aborted === true) break;
      if (ids.has(job.name)) {
        if (plan.adopted.has(job.name)) recorder.setJobState(job.name, 'unready');
        continue;
      }
      const members = (groups.get(job.name) ?? [job]).map((j) => ({ job: j, attempt: attemptOf(j) }));
      const memoryMiB = memoryOf(job);
      const held = needsHold(job, byName, done);
      const deps = dependenciesOf(job, (p) => ids.get(p));
      const script = writeScript(options, settings, members, memoryMiB, plan.lastAttempt.size === 0 && (options.previousAttempts?.size ?? 0) === 0);
      await limiter.acquire();
      const { jobId } = await submitBatchJob({ scriptPath: script.path, afterOk: deps.afterOk, afterAny: deps.afterAny, hold: held });
      const now = Date.now();
      const entries: LedgerEntry[] = members.map((m, i) => ({
        job: m.job.name, attempt: m.attempt, jobId: members.length > 1 ? `${jobId}_${i}` : jobId, memoryMiB, commandsKey: commandsKey(m.job), held, submittedAt: now,
      }));
      appendLedger(workflow.submitPath, entries);
      for (const e of entries) {
        ids.set(e.job, e.jobId);
        fresh.add(e.job);
        recorder.setJobState(e.job, held || deps.afterOk.length + deps.afterAny.length > 0 ? 'unready' : 'ready');
      }
    }
    if (options.signal?.aborted !== true) await pointAdoptedAtNewParents();
  } catch (err) {
    log.error({ submitted: fresh.size, err: String(err) }, `Slurm submission failed; cancelling the run's ${ids.size} jobs`);
    await stop(`cancelled: submission failed: ${(err as Error).message}`);
    throw err;
  }
  if (options.signal?.aborted === true) {
    await stop('cancelled');
    return { siteRunId, finished: true };
  }
  log.info({ run: workflow.name, jobs: fresh.size, adopted: plan.adopted.size, durationMs: Date.now() - started }, `Slurm site: submitted ${fresh.size} jobs`);
  return { siteRunId, finished: ids.size === 0 };

  /** Adopted queued jobs wait on their parents' old ids: point them at the resubmitted parents. */
  async function pointAdoptedAtNewParents(): Promise<void> {
    const updates: DependencyUpdate[] = [];
    for (const [name, a] of plan.adopted) {
      const job = byName.get(name)!;
      if (!a.pending || !job.parents.some((p) => fresh.has(p))) continue;
      updates.push({ job: name, jobId: a.entry.jobId, ...dependenciesOf(job, (p) => ids.get(p)) });
    }
    if (updates.length === 0) return;
    const pendingPerArray = new Map<string, number>();
    for (const [, a] of plan.adopted) {
      const array = arrayIdOf(a.entry.jobId);
      if (array !== undefined && a.pending) pendingPerArray.set(array, (pendingPerArray.get(array) ?? 0) + 1);
    }
    await updateDependencies({ updates, pendingTasksOf: (array) => pendingPerArray.get(array) ?? 0, log });
  }
}
