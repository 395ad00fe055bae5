import { InvalidInputError } from '../../errors/index.js';
import { renderJobWrapper, type PeakMemoryProbe, type WrappedTask } from './job-wrapper.js';

/** Everything needed to render the batch script of one Slurm job (or one job array). */
export interface BatchJobSpec {
  /** Job name; characters outside `A-Za-z0-9._:+-` become `_` (see {@link toSlurmSafeName}). */
  name: string;
  /** Job comment, used to find a run's jobs; sanitised like the name. */
  comment?: string;
  cpus: number;
  memoryMb: number;
  /** Wall-time limit in seconds; Slurm rounds it up to whole minutes. Omitted: the partition default. */
  walltimeSeconds?: number;
  partition?: string;
  account?: string;
  qos?: string;
  /** Feature expression (`--constraint`), e.g. `intel&ib`. */
  constraint?: string;
  /**
   * Absolute paths of Slurm's stdout/stderr files. `{jobId}`, `{arrayJobId}` and `{arrayTaskId}` become
   * Slurm's `%j`, `%A`, `%a`; every other character is literal (a `%` is written `%%`).
   */
  stdout: string;
  stderr: string;
  workDir: string;
  env?: Readonly<Record<string, string>>;
  /** One task for a plain job; several make a job array whose task i runs `tasks[i]`. */
  tasks: readonly WrappedTask[];
  /** At most this many array tasks run at once (`--array=0-N%M`). */
  arrayMaxRunning?: number;
  peakMemoryProbe?: PeakMemoryProbe;
}

const SAFE_NAME = /[^A-Za-z0-9._:+-]/g;
const SAFE_WORD = /^[A-Za-z0-9._+-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Maps a job name or comment to characters every Slurm command and filter accepts (others → `_`). */
export function toSlurmSafeName(text: string): string {
  return text.replace(SAFE_NAME, '_').slice(0, 200);
}

/** Formats seconds as Slurm's `D-HH:MM:SS`. */
export function formatSlurmWalltime(seconds: number): string {
  const s = Math.ceil(seconds);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const days = Math.floor(s / 86400);
  return `${days}-${pad(Math.floor((s % 86400) / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

function fail(field: string, value: unknown, problem: string, fix: string): never {
  throw new InvalidInputError(`Slurm batch script: ${field} ${JSON.stringify(value)} ${problem}; ${fix}`, { key: field });
}

/**
 * Quotes a value for an `#SBATCH` line. These lines are read by sbatch, not by a shell: it honours
 * single and double quotes and backslash escapes (also inside quotes), ends the value at blanks and
 * at an unquoted `#`, and cannot continue a line. So the value goes in double quotes with `\` and
 * `"` escaped; line breaks cannot be expressed at all.
 */
function quoteDirective(field: string, value: string): string {
  if (/[\n\r\0]/.test(value)) fail(field, value, 'contains a line break or NUL, which an #SBATCH line cannot carry', 'remove it');
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

/** Turns a literal path with `{jobId}`-style placeholders into a Slurm filename pattern. */
function toFilenamePattern(field: string, path: string): string {
  if (!path.startsWith('/')) fail(field, path, 'is not an absolute path', 'give an absolute path');
  // Slurm deletes every backslash of an output filename (and then stops expanding %j), so a path
  // with one can never be reached.
  if (path.includes('\\')) fail(field, path, 'contains a backslash, which Slurm removes from output file names', 'use a log directory without backslashes');
  const escaped = path.replaceAll('%', '%%');
  return escaped.replaceAll('{jobId}', '%j').replaceAll('{arrayJobId}', '%A').replaceAll('{arrayTaskId}', '%a');
}

function checkPositiveInteger(field: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) fail(field, value, 'is not a positive integer', 'give a whole number above 0');
}

function checkWord(field: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!SAFE_WORD.test(value)) fail(field, value, 'has characters Slurm does not allow there', "use letters, digits, '.', '_', '+' or '-'");
  return value;
}

function checkTasks(spec: BatchJobSpec): void {
  if (spec.tasks.length === 0) fail('tasks', [], 'is empty', 'give at least one task');
  spec.tasks.forEach((task, t) => {
    if (task.commands.length === 0) fail(`tasks[${t}].commands`, [], 'is empty', 'give at least one command');
    task.commands.forEach((argv, c) => {
      if (argv.length === 0 || argv[0] === '') fail(`tasks[${t}].commands[${c}]`, argv, 'has no program', 'start the argument vector with the program to run');
    });
    if (!task.statusFile.startsWith('/')) fail(`tasks[${t}].statusFile`, task.statusFile, 'is not an absolute path', 'give an absolute path');
    for (const key of ['stdout', 'stderr'] as const) {
      const path = task[key];
      if (path !== undefined && !path.startsWith('/')) fail(`tasks[${t}].${key}`, path, 'is not an absolute path', 'give an absolute path');
    }
    for (const name of Object.keys(task.env ?? {})) {
      if (!ENV_NAME.test(name)) fail(`tasks[${t}].env`, name, 'is not a valid environment variable name', 'use letters, digits and _ (not starting with a digit)');
    }
  });
  for (const name of Object.keys(spec.env ?? {})) {
    if (!ENV_NAME.test(name)) fail('env', name, 'is not a valid environment variable name', 'use letters, digits and _ (not starting with a digit)');
  }
}

/** The `#SBATCH` lines of a job, in a stable order. */
export function renderSbatchDirectives(spec: BatchJobSpec): string[] {
  checkPositiveInteger('cpus', spec.cpus);
  checkPositiveInteger('memoryMb', spec.memoryMb);
  const name = toSlurmSafeName(spec.name);
  if (name === '') fail('name', spec.name, 'is empty', 'give the job a name');
  const out: string[] = [`--job-name=${name}`];
  if (spec.comment !== undefined && spec.comment !== '') out.push(`--comment=${toSlurmSafeName(spec.comment)}`);
  out.push('--nodes=1', '--ntasks=1', `--cpus-per-task=${spec.cpus}`, `--mem=${spec.memoryMb}M`);
  if (spec.walltimeSeconds !== undefined) {
    checkPositiveInteger('walltimeSeconds', spec.walltimeSeconds);
    out.push(`--time=${formatSlurmWalltime(spec.walltimeSeconds)}`);
  }
  for (const [field, value] of [['partition', spec.partition], ['account', spec.account], ['qos', spec.qos]] as const) {
    const word = checkWord(field, value);
    if (word !== undefined) out.push(`--${field}=${word}`);
  }
  if (spec.constraint !== undefined) out.push(`--constraint=${quoteDirective('constraint', spec.constraint)}`);
  out.push(`--output=${quoteDirective('stdout', toFilenamePattern('stdout', spec.stdout))}`);
  out.push(`--error=${quoteDirective('stderr', toFilenamePattern('stderr', spec.stderr))}`);
  // Retries of the same job append to its logs instead of truncating the earlier attempt's.
  out.push('--open-mode=append');
  if (!spec.workDir.startsWith('/')) fail('workDir', spec.workDir, 'is not an absolute path', 'give an absolute path');
  out.push(`--chdir=${quoteDirective('workDir', spec.workDir)}`);
  if (spec.tasks.length > 1) {
    let array = `0-${spec.tasks.length - 1}`;
    if (spec.arrayMaxRunning !== undefined) {
      checkPositiveInteger('arrayMaxRunning', spec.arrayMaxRunning);
      array += `%${spec.arrayMaxRunning}`;
    }
    out.push(`--array=${array}`);
  }
  return out.map((d) => `#SBATCH ${d}`);
}

/**
 * Renders the complete batch script of one job: shebang, `#SBATCH` lines (validated, quoted for
 * sbatch's own directive parser) and the wrapper body (shell-quoted). Throws `InvalidInputError`
 * naming the field for values no quoting can carry (line breaks, backslashes in log paths,
 * non-positive resources).
 */
export function renderBatchScript(spec: BatchJobSpec): string {
  checkTasks(spec);
  const directives = renderSbatchDirectives(spec);
  const body = renderJobWrapper({
    tasks: spec.tasks,
    workDir: spec.workDir,
    ...(spec.env !== undefined ? { env: spec.env } : {}),
    ...(spec.peakMemoryProbe !== undefined ? { peakMemoryProbe: spec.peakMemoryProbe } : {}),
  });
  // sbatch reads #SBATCH lines only up to the first command, so they follow the shebang directly.
  return ['#!/bin/bash', ...directives, body].join('\n');
}
