import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { GenericWorkflow, GenericWorkflowJob } from '../../workflow/index.js';
import { SiteError } from '../site-error.js';
import type { SubmitOptions, SubmitResult } from '../site-plugin.js';
import { renderBatchScript, type BatchJobSpec } from './batch-script.js';
import { buildBatchJobSpec, slurmScriptFile } from './job-spec.js';
import type { PreparedSlurmSettings } from './prepare.js';
import { createRateLimiter } from './rate-limiter.js';
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

/** The batch script of one attempt: prepare's for a first attempt at the requested memory, else a new one. */
function scriptFor(options: SubmitOptions, settings: PreparedSlurmSettings, job: GenericWorkflowJob, attempt: number, memoryMiB: number): { path: string; spec: BatchJobSpec } {
  const spec = buildBatchJobSpec({ workflow: options.workflow, job, settings, cwd: settings.cwd, attempt, memoryMiB });
  const prepared = settings.scripts[job.name];
  if (attempt === 1 && memoryMiB === job.resources.requestMemory && prepared !== undefined) return { path: prepared, spec };
  const path = slurmScriptFile(options.workflow.submitPath, job.name, attempt);
  writeFileSync(path, renderBatchScript(spec), { mode: 0o755 });
  return { path, spec };
}

/**
 * Submits a workflow to Slurm and returns at once (the batch system runs it): jobs in
 * dependency order, `afterok` on their parents' job ids (`afterany` for jobs that run always,
 * such as the final job), throttled to `submissionsPerSecond`. Each submission is recorded as a
 * started attempt carrying its Slurm job id. Jobs in `done` are not submitted. Aborting, or an
 * sbatch failure, cancels what was submitted and records it as deleted.
 */
export async function submitSlurm(options: SubmitOptions): Promise<SubmitResult> {
  const { workflow, recorder, log } = options;
  const settings = options.prepared.settings as unknown as PreparedSlurmSettings;
  const limiter = createRateLimiter({ perSecond: settings.submissionsPerSecond });
  const siteRunId = slurmRunId(workflow.name);
  const host = hostname();
  const ids = new Map<string, string>();
  const submitted: { job: string; attempt: number; jobId: string }[] = [];
  options.onStarted?.(siteRunId);
  const started = Date.now();

  const stop = async (why: string): Promise<void> => {
    await cancelJobs({ jobIds: submitted.map((s) => s.jobId) });
    const now = Date.now();
    for (const s of submitted) {
      recorder.attemptEnded({ job: s.job, attempt: s.attempt, state: 'deleted', exitCode: null, signal: null, endedAt: now, reason: why });
      recorder.setJobState(s.job, 'deleted');
    }
    for (const j of workflow.jobs) if (!ids.has(j.name) && options.done?.has(j.name) !== true) recorder.setJobState(j.name, 'deleted');
  };

  for (const job of sortJobsByDependency(workflow)) {
    if (options.done?.has(job.name) === true) {
      recorder.setJobState(job.name, 'succeeded');
      continue;
    }
    if (options.signal?.aborted === true) break;
    const attempt = (options.previousAttempts?.get(job.name) ?? 0) + 1;
    const memoryMiB = options.memoryMiB?.get(job.name) ?? job.resources.requestMemory;
    const parents = job.parents.map((p) => ids.get(p)).filter((id): id is string => id !== undefined);
    try {
      const { path, spec } = scriptFor(options, settings, job, attempt, memoryMiB);
      await limiter.acquire();
      const { jobId } = await submitBatchJob({ scriptPath: path, ...(job.runAlways ? { afterAny: parents } : { afterOk: parents }) });
      ids.set(job.name, jobId);
      submitted.push({ job: job.name, attempt, jobId });
      recorder.attemptStarted({ job: job.name, attempt, host, pid: null, pidStart: null, siteJobId: jobId, memoryMiB, startedAt: Date.now(), stdout: spec.stdout, stderr: spec.stderr });
      recorder.setJobState(job.name, 'running');
    } catch (err) {
      log.error({ job: job.name, submitted: submitted.length }, `Slurm submission of job ${job.name} failed; cancelling the ${submitted.length} jobs already submitted`);
      await stop(`cancelled: submission of job ${job.name} failed`);
      throw err;
    }
  }
  if (options.signal?.aborted === true) {
    await stop('cancelled');
    return { siteRunId, finished: true };
  }
  log.info({ run: workflow.name, jobs: submitted.length, durationMs: Date.now() - started }, `Slurm site: submitted ${submitted.length} jobs`);
  return { siteRunId, finished: submitted.length === 0 };
}
