import { userInfo } from 'node:os';
import { InvalidInputError } from '../../errors/index.js';
import { runSlurmCommand, type SlurmCommandOptions } from './run-slurm-command.js';
import { SlurmCommandError } from './slurm-command-error.js';

const JOB_ID = /^\d+(?:_\d+)?$/;
const NAME = /^[A-Za-z0-9._:+-]+$/;

function checkJobIds(ids: readonly string[], field: string): void {
  const bad = ids.find((id) => !JOB_ID.test(id));
  if (bad !== undefined) throw new InvalidInputError(`${field}: ${JSON.stringify(bad)} is not a Slurm job id; expected digits, or digits_digits for an array task`, { key: field });
}

function checkNames(names: readonly string[], field: string): void {
  const bad = names.find((n) => !NAME.test(n));
  if (bad !== undefined) throw new InvalidInputError(`${field}: ${JSON.stringify(bad)} is not a job name bps-ts submits (letters, digits, '.', '_', ':', '+', '-'); pass the sanitised name`, { key: field });
}

/** The user the commands run as: `scancel` by name is always limited to this user's jobs. */
export function currentUserName(): string {
  return userInfo().username;
}

/** Options of {@link submitBatchJob}. */
export interface SubmitBatchJobOptions extends SlurmCommandOptions {
  /** The batch script written by prepare (its `#SBATCH` lines carry the resources). */
  readonly scriptPath: string;
  /** Jobs that must finish successfully first (`--dependency=afterok:...`); array ids wait for every task. */
  readonly afterOk?: readonly string[];
  /** Jobs that must have ended, successfully or not (`afterany`: the final job of a run). */
  readonly afterAny?: readonly string[];
  /** Let Slurm cancel the job when a dependency fails, instead of leaving it PENDING forever. */
  readonly killOnInvalidDependency?: boolean;
  /** Submit held (`--hold`); `scontrol release` starts it. */
  readonly hold?: boolean;
}

/** A submitted job: its id, and the cluster when sbatch names one (federations). */
export interface SubmittedBatchJob {
  readonly jobId: string;
  readonly cluster: string | null;
}

/** Runs `sbatch --parsable` for one batch script and returns the new job id. */
export async function submitBatchJob(options: SubmitBatchJobOptions): Promise<SubmittedBatchJob> {
  const argv = ['sbatch', '--parsable'];
  const deps = formatDependency(options.afterOk ?? [], options.afterAny ?? []);
  if (deps !== '') argv.push(`--dependency=${deps}`);
  if (options.killOnInvalidDependency === true) argv.push('--kill-on-invalid-dep=yes');
  if (options.hold === true) argv.push('--hold');
  argv.push(options.scriptPath);
  const { stdout, stderr } = await runSlurmCommand(argv, options);
  const line = stdout.trim().split('\n').pop() ?? '';
  const [jobId = '', cluster] = line.split(';');
  if (!/^\d+$/.test(jobId)) {
    throw new SlurmCommandError({ command: argv, stderr, problem: `printed ${JSON.stringify(stdout.trim())} instead of a job id` });
  }
  return { jobId, cluster: cluster ?? null };
}

/** A dependency expression for sbatch/scontrol: `afterok:1:2,afterany:3` (a comma means "and"). */
export function formatDependency(afterOk: readonly string[], afterAny: readonly string[]): string {
  checkJobIds(afterOk, 'afterOk');
  checkJobIds(afterAny, 'afterAny');
  return [...(afterOk.length > 0 ? [`afterok:${afterOk.join(':')}`] : []), ...(afterAny.length > 0 ? [`afterany:${afterAny.join(':')}`] : [])].join(',');
}

/** Options of {@link updateJobDependency}. */
export interface UpdateJobDependencyOptions extends SlurmCommandOptions {
  /** A pending job, a pending array task (`12_3`), or a whole array (`12`: all its pending tasks). */
  readonly jobId: string;
  readonly afterOk?: readonly string[];
  readonly afterAny?: readonly string[];
}

/**
 * Replaces the dependencies of a pending job with `scontrol update JobId=.. Dependency=..`. On
 * Slurm 22.05 this also revives a job left pending on `DependencyNeverSatisfied` (its failed
 * parent is replaced by the retry's id), which is how a retry keeps the children submitted
 * upfront. Updating one task of a pending array splits it off the array.
 */
export async function updateJobDependency(options: UpdateJobDependencyOptions): Promise<void> {
  checkJobIds([options.jobId], 'jobId');
  const expression = formatDependency(options.afterOk ?? [], options.afterAny ?? []);
  await runSlurmCommand(['scontrol', 'update', `JobId=${options.jobId}`, `Dependency=${expression}`], options);
}

/** Releases held jobs (`scontrol release`); ids of jobs that are not held any more are not an error. */
export async function releaseJobs(options: SlurmCommandOptions & { readonly jobIds: readonly string[] }): Promise<void> {
  checkJobIds(options.jobIds, 'jobIds');
  if (options.jobIds.length === 0) return;
  const argv = ['scontrol', 'release', options.jobIds.join(',')];
  const result = await runSlurmCommand(argv, { ...options, allowExitCodes: [0, 1] });
  if (result.exitCode !== 0 && !/already|not pending|Invalid job id|Job is no longer pending/i.test(result.stderr)) {
    throw new SlurmCommandError({ command: argv, commandExitCode: result.exitCode, stderr: result.stderr });
  }
}

/** Options of {@link cancelJobs}: ids, names, or both (a job matching either is cancelled). */
export interface CancelJobsOptions extends SlurmCommandOptions {
  readonly jobIds?: readonly string[];
  /** Exact job names (the run's jobs carry the run id in their names). */
  readonly names?: readonly string[];
  /** Signal to send instead of cancelling (e.g. `TERM`). */
  readonly signal?: string;
}

/**
 * Cancels jobs with `scancel`, always limited to the current user's jobs (`--user`), so a run's
 * cancel never touches anyone else's. Unknown or already finished ids are ignored.
 */
export async function cancelJobs(options: CancelJobsOptions): Promise<void> {
  const ids = options.jobIds ?? [];
  const names = options.names ?? [];
  checkJobIds(ids, 'jobIds');
  checkNames(names, 'names');
  const common = ['scancel', `--user=${currentUserName()}`, ...(options.signal !== undefined ? [`--signal=${options.signal}`] : [])];
  // scancel ANDs its filters with the ids, so ids and names are two separate calls.
  if (ids.length > 0) await runScancel([...common, ...ids], options);
  for (const name of names) await runScancel([...common, `--name=${name}`], options);
}

/** Jobs that ended meanwhile are not an error for a cancel. */
const GONE = /Invalid job id specified|already completing or completed/;

async function runScancel(argv: string[], options: SlurmCommandOptions): Promise<void> {
  // With a filter such as --user, scancel exits 1 for ids that have already finished.
  const result = await runSlurmCommand(argv, { ...options, allowExitCodes: [0, 1] });
  if (result.exitCode === 0) return;
  const errors = result.stderr.split('\n').filter((l) => l.trim() !== '');
  if (errors.length > 0 && errors.every((l) => GONE.test(l))) return;
  throw new SlurmCommandError({ command: argv, commandExitCode: result.exitCode, stderr: result.stderr });
}

/** One partition as `sinfo` summarises it. */
export interface SlurmPartition {
  readonly name: string;
  readonly isDefault: boolean;
  /** `up`, `down`, `drain`, `inact`. */
  readonly availability: string;
  readonly nodes: number;
  /** Node counts by state: allocated/idle/other/total. */
  readonly nodeStates: { readonly allocated: number; readonly idle: number; readonly other: number; readonly total: number };
}

/** Asks the controller for its partitions (`sinfo`); throws {@link SlurmCommandError} when it does not answer. */
export async function pingSlurm(options: SlurmCommandOptions = {}): Promise<SlurmPartition[]> {
  const { stdout } = await runSlurmCommand(['sinfo', '-h', '-o', '%P|%a|%D|%F'], options);
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const [rawName = '', availability = '', nodes = '0', counts = '0/0/0/0'] = line.split('|');
      const [allocated = 0, idle = 0, other = 0, total = 0] = counts.split('/').map(Number);
      return { name: rawName.replace(/\*$/, ''), isDefault: rawName.endsWith('*'), availability, nodes: Number(nodes), nodeStates: { allocated, idle, other, total } };
    });
}
