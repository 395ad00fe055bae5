import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { resolveJobLogPaths, type GenericWorkflow, type GenericWorkflowJob } from '../../workflow/index.js';
import type { BatchJobSpec } from './batch-script.js';
import { toSlurmSafeName } from './batch-script.js';
import type { SlurmSiteSettings } from './slurm-settings.js';

/** Files of the Slurm site inside a submit directory. */
export function slurmSitePaths(submitPath: string): { readonly root: string; readonly scripts: string; readonly status: string; readonly logs: string } {
  const root = join(submitPath, 'slurm');
  return { root, scripts: join(root, 'jobs'), status: join(root, 'status'), logs: join(root, 'logs') };
}

/** A digest of a job's commands: a restart adopts a job still queued only when they are unchanged. */
export function commandsKey(job: Pick<GenericWorkflowJob, 'commands'>): string {
  return createHash('sha256').update(JSON.stringify(job.commands)).digest('hex').slice(0, 16);
}

/** Suffix of an attempt's files: nothing for the first, `.<n>` for later ones (as the local site's logs). */
function attemptSuffix(attempt: number): string {
  return attempt <= 1 ? '' : `.${attempt}`;
}

/** Absolute path of the wrapper status file of one attempt of a job. */
export function slurmStatusFile(submitPath: string, jobName: string, attempt = 1): string {
  return join(slurmSitePaths(submitPath).status, `${jobName}${attemptSuffix(attempt)}.json`);
}

/** Absolute path of the batch script of one attempt of a job. */
export function slurmScriptFile(submitPath: string, jobName: string, attempt = 1): string {
  return join(slurmSitePaths(submitPath).scripts, `${jobName}${attemptSuffix(attempt)}.sh`);
}

/** The comment every job of a run carries: how `cancel` finds a run's jobs (with `--user`). */
export function slurmRunComment(runName: string): string {
  return toSlurmSafeName(`bps-ts:${runName}`);
}

/** The Slurm job name of a workflow job: run name and job name, so `squeue` shows both. */
export function slurmJobName(runName: string, jobName: string): string {
  return toSlurmSafeName(`${runName}.${jobName}`);
}

/** Options of {@link buildBatchJobSpec}. */
export interface BuildBatchJobSpecOptions {
  readonly workflow: GenericWorkflow;
  readonly job: GenericWorkflowJob;
  readonly settings: SlurmSiteSettings;
  /** Directory the jobs run in. */
  readonly cwd: string;
  /** 1-based attempt; later attempts get their own logs, status file and script. */
  readonly attempt?: number;
  /** Memory of this attempt in MiB (scaled after out-of-memory failures); default the job's request. */
  readonly memoryMiB?: number;
}

/**
 * The batch-script description of one attempt of a workflow job: the job's resources, the site's
 * partition/account/qos/constraint, name and comment carrying the run, logs in the run's log
 * layout, and environment telling the payload who it is (as the local site does).
 */
export function buildBatchJobSpec(options: BuildBatchJobSpecOptions): BatchJobSpec {
  const { workflow, job, settings } = options;
  const attempt = options.attempt ?? 1;
  const memory = options.memoryMiB ?? job.resources.requestMemory;
  const logs = resolveJobLogPaths(workflow.submitPath, job);
  const withAttempt = (p: string): string => (attempt <= 1 ? p : p.replace(/\.(out|err)$/, `.${attempt}.$1`));
  return {
    name: slurmJobName(workflow.name, job.name),
    comment: slurmRunComment(workflow.name),
    cpus: Math.max(1, Math.ceil(job.resources.requestCpus)),
    memoryMb: Math.max(1, Math.ceil(memory)),
    ...(job.resources.requestWalltime !== null ? { walltimeSeconds: Math.max(1, Math.ceil(job.resources.requestWalltime)) } : {}),
    ...(settings.partition !== null ? { partition: settings.partition } : {}),
    ...(settings.account !== null ? { account: settings.account } : {}),
    ...(settings.qos !== null ? { qos: settings.qos } : {}),
    ...(settings.constraint !== null ? { constraint: settings.constraint } : {}),
    stdout: withAttempt(logs.stdout),
    stderr: withAttempt(logs.stderr),
    workDir: options.cwd,
    env: { BPS_TS_JOB_NAME: job.name, BPS_TS_JOB_ATTEMPT: String(attempt), BPS_TS_JOB_MEMORY_MIB: String(memory), BPS_TS_RUN: workflow.name },
    tasks: [{ commands: job.commands, statusFile: slurmStatusFile(workflow.submitPath, job.name, attempt) }],
    peakMemoryProbe: settings.peakMemoryProbe,
  };
}

/** One member of a job array: a workflow job and the attempt it runs. */
export interface ArrayMember {
  readonly job: GenericWorkflowJob;
  readonly attempt: number;
}

/**
 * The batch-script description of a job array: task i runs `members[i]` with that job's own
 * environment, status file and log files (the wrapper redirects each task's output there); Slurm's
 * own output goes to `slurm/logs/<label>.<array>_<task>.out`. Members share the first one's
 * resources (the caller groups only jobs with identical requests) and `memoryMiB`.
 */
export function buildArrayJobSpec(options: Omit<BuildBatchJobSpecOptions, 'job' | 'attempt'> & { readonly members: readonly ArrayMember[] }): BatchJobSpec {
  const [first] = options.members;
  if (first === undefined) throw new Error('buildArrayJobSpec needs at least one member');
  const base = buildBatchJobSpec({ ...options, job: first.job, attempt: first.attempt });
  const logs = join(slurmSitePaths(options.workflow.submitPath).logs, toSlurmSafeName(first.job.label));
  const tasks = options.members.map(({ job, attempt }) => {
    const spec = buildBatchJobSpec({ ...options, job, attempt });
    const task = spec.tasks[0]!;
    return { ...task, env: spec.env ?? {}, stdout: spec.stdout, stderr: spec.stderr };
  });
  const { env: _env, ...rest } = base;
  return {
    ...rest,
    name: slurmJobName(options.workflow.name, first.job.label),
    stdout: `${logs}.{arrayJobId}_{arrayTaskId}.out`,
    stderr: `${logs}.{arrayJobId}_{arrayTaskId}.err`,
    env: { BPS_TS_RUN: options.workflow.name },
    tasks,
    ...(options.settings.arrayMaxRunning !== null ? { arrayMaxRunning: options.settings.arrayMaxRunning } : {}),
  };
}
