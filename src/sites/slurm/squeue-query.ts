import { InvalidInputError } from '../../errors/index.js';
import { runSlurmCommand, type SlurmCommandOptions } from './run-slurm-command.js';
import { SlurmCommandError } from './slurm-command-error.js';
import { currentUserName } from './slurm-cli.js';

/** One job (or array task) as {@link queryJobs} reports it. Times are Slurm's local-time text or null. */
export interface SqueueRow {
  /** `123` for a plain job, `120_3` for an array task. */
  readonly id: string;
  /** The numeric id Slurm gave this job or task. */
  readonly jobId: string;
  readonly arrayJobId: string | null;
  readonly arrayTaskId: number | null;
  /** Long state name: PENDING, RUNNING, COMPLETED, FAILED, TIMEOUT, ... */
  readonly state: string;
  /** Pending or final reason: Priority, Dependency, DependencyNeverSatisfied, NonZeroExitCode, TimeLimit, ... */
  readonly reason: string;
  /** Raw wait status (`exit_code`): decode with `decodeWaitStatus`. */
  readonly rawExitCode: number | null;
  readonly submitTime: string | null;
  readonly startTime: string | null;
  readonly endTime: string | null;
  readonly timeUsed: string;
  readonly timeLimit: string;
  readonly nodeList: string;
  readonly name: string;
  readonly comment: string | null;
}

// The unit separator cannot occur in names or comments, so no free-text field can shift the columns.
const SEP = '\x1f';
const FIELDS = ['JobArrayID', 'JobID', 'ArrayJobID', 'ArrayTaskID', 'State', 'Reason', 'exit_code', 'SubmitTime', 'StartTime', 'EndTime', 'TimeUsed', 'TimeLimit', 'NodeList', 'Name', 'Comment'] as const;

/** The `squeue -O` format {@link queryJobs} uses (exported for tests and debugging). */
export const SQUEUE_FORMAT = FIELDS.map((f) => `${f}:${SEP}`).join(',');

const orNull = (v: string): string | null => (v === '' || v === 'N/A' || v === '(null)' || v === 'Unknown' ? null : v);

/** Parses the output of `squeue -h -O SQUEUE_FORMAT`. */
export function parseSqueueOutput(text: string): SqueueRow[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const f = line.split(SEP).map((v) => v.trim());
      if (f.length < FIELDS.length) throw new SlurmCommandError({ command: ['squeue', '-O', SQUEUE_FORMAT], stderr: '', problem: `printed a line with ${f.length} fields instead of ${FIELDS.length}: ${JSON.stringify(line)}` });
      const at = (field: (typeof FIELDS)[number]): string => f[FIELDS.indexOf(field)] ?? '';
      const task = orNull(at('ArrayTaskID'));
      const exit = at('exit_code');
      return {
        id: at('JobArrayID'),
        jobId: at('JobID'),
        arrayJobId: task === null ? null : orNull(at('ArrayJobID')),
        arrayTaskId: task !== null && /^\d+$/.test(task) ? Number(task) : null,
        state: at('State').split(/\s/)[0] ?? '',
        reason: at('Reason'),
        rawExitCode: /^\d+$/.test(exit) ? Number(exit) : null,
        submitTime: orNull(at('SubmitTime')),
        startTime: orNull(at('StartTime')),
        endTime: orNull(at('EndTime')),
        timeUsed: at('TimeUsed'),
        timeLimit: at('TimeLimit'),
        nodeList: at('NodeList'),
        name: at('Name'),
        comment: orNull(at('Comment')),
      };
    });
}

/** Epoch milliseconds of a squeue time (`2026-11-21T04:52:12`, the controller's local time); null for none. */
export function parseSlurmTime(text: string | null): number | null {
  if (text === null) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

/** Options of {@link queryJobs}: filters are ANDed; give at least one of ids or names. */
export interface QueryJobsOptions extends SlurmCommandOptions {
  readonly jobIds?: readonly string[];
  readonly names?: readonly string[];
  /** Only this user's jobs (`--user`). */
  readonly user?: string;
  /**
   * Only jobs with exactly this comment (how a run's jobs are found). squeue cannot filter on
   * comments, so this lists the user's jobs (the current user unless `user` is given) and filters here.
   */
  readonly comment?: string;
}

/**
 * One `squeue` call for a whole run: every state (`-t all`, finished jobs stay listed for the
 * cluster's MinJobAge), one line per array task (`-r`), filtered by ids and/or names. Jobs Slurm
 * no longer knows are simply missing from the result.
 */
export async function queryJobs(options: QueryJobsOptions): Promise<SqueueRow[]> {
  const ids = options.jobIds ?? [];
  const names = options.names ?? [];
  if (options.jobIds !== undefined && ids.length === 0) return [];
  if (ids.length === 0 && names.length === 0 && options.comment === undefined) {
    throw new InvalidInputError('queryJobs needs job ids, job names or a comment: without them squeue lists every job of the cluster', { key: 'jobIds' });
  }
  const argv = ['squeue', '-h', '-t', 'all', '-r', '-O', SQUEUE_FORMAT];
  if (ids.length > 0) argv.push('-j', ids.join(','));
  if (names.length > 0) argv.push(`--name=${names.join(',')}`);
  const user = options.user ?? (options.comment !== undefined ? currentUserName() : undefined);
  if (user !== undefined) argv.push(`--user=${user}`);
  // With a single unknown id squeue exits 1 ("Invalid job id specified"); that means "no such job".
  const result = await runSlurmCommand(argv, { ...options, allowExitCodes: [0, 1] });
  if (result.exitCode === 1) {
    if (/Invalid job id specified/.test(result.stderr)) return [];
    throw new SlurmCommandError({ command: argv, commandExitCode: 1, stderr: result.stderr });
  }
  const rows = parseSqueueOutput(result.stdout);
  return options.comment === undefined ? rows : rows.filter((r) => r.comment === options.comment);
}

/**
 * One {@link queryJobs} call for a set of ids, plain (`12`) or array tasks (`12_3`), answered per
 * id. Tasks are asked for through their array's id: a pending array cancelled before any task
 * started keeps only one record, the array's (no task id), which then stands for each task.
 */
export async function queryJobsById(ids: readonly string[], options: SlurmCommandOptions = {}): Promise<(id: string) => SqueueRow | undefined> {
  const asked = [...new Set(ids.map((id) => id.split('_')[0]!))];
  const rows = await queryJobs({ ...options, jobIds: asked });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return (id) => {
    const row = byId.get(id);
    if (row !== undefined || !id.includes('_')) return row;
    const whole = byId.get(id.split('_')[0]!);
    return whole !== undefined && whole.arrayTaskId === null ? whole : undefined;
  };
}

/**
 * Parses one line of `scontrol -o show job` into its `Key=Value` pairs. Values may contain blanks
 * (`Comment=hello world`, paths), so a new pair starts only at a blank followed by a Slurm-style
 * key (`JobId`, `CPUs/Task`, `AllocNode:Sid`, ...) and `=`.
 */
export function parseScontrolLine(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  const keys = [...line.matchAll(/(?:^|\s)([A-Z][A-Za-z0-9_:/]*)=/g)];
  keys.forEach((m, i) => {
    const valueStart = m.index + m[0].length;
    const next = keys[i + 1];
    const valueEnd = next === undefined ? line.length : next.index;
    out[m[1]!] = line.slice(valueStart, valueEnd).trim();
  });
  return out;
}

/**
 * `scontrol -o show job ID` for one job (all tasks, for an array id); `[]` when Slurm no longer
 * knows the job. Gives what squeue does not: expanded StdOut/StdErr paths, `ExitCode=code:signal`,
 * the dependency expression.
 */
export async function showJob(options: SlurmCommandOptions & { readonly jobId: string }): Promise<Record<string, string>[]> {
  if (!/^\d+(?:_\d+)?$/.test(options.jobId)) throw new InvalidInputError(`jobId: ${JSON.stringify(options.jobId)} is not a Slurm job id`, { key: 'jobId' });
  const argv = ['scontrol', '-o', 'show', 'job', options.jobId];
  const result = await runSlurmCommand(argv, { ...options, allowExitCodes: [0, 1] });
  if (result.exitCode === 1) {
    if (/Invalid job id specified/.test(result.stderr)) return [];
    throw new SlurmCommandError({ command: argv, commandExitCode: 1, stderr: result.stderr });
  }
  return result.stdout.split('\n').filter((l) => l.trim() !== '').map(parseScontrolLine);
}
