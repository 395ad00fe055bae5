import { resolveJobLogPaths, sanitizePathSegment, type GenericWorkflow, type GenericWorkflowJob } from '../../workflow/index.js';
import { SiteError } from '../site-error.js';
import {
  formatPeriodicReleaseExpression,
  formatPeriodicRemoveExpression,
  formatRequestMemoryExpression,
  formatRetryUntilExpression,
  ON_EXIT_HOLD,
  ON_EXIT_HOLD_REASON,
  ON_EXIT_HOLD_SUBCODE,
  type MemoryScaling,
} from './memory-expressions.js';
import { escapeSubmitMacros, formatClassAdString, quoteShellWord, quoteSubmitArguments, quoteSubmitEnvironment } from './submit-language.js';

/** Where retries happen: in the schedd (`max_retries`, keeps `NumJobStarts` so memory can grow) or as DAG `RETRY`. */
export const RetryMode = ['submit', 'dag'] as const;
/** One of {@link RetryMode}. */
export type RetryMode = (typeof RetryMode)[number];

/** Default cap of memory scaling, MiB, from the reference plugin's `htcondor_defaults.yaml` (`memoryLimit: 491520`). */
export const DEFAULT_MEMORY_LIMIT_MIB = 491520;

/** Options of {@link formatSubmitDescription}. */
export interface SubmitDescriptionOptions {
  readonly workflow: GenericWorkflow;
  readonly job: GenericWorkflowJob;
  /** Cap of memory scaling when the job has none (`memoryLimit` of the site), MiB. */
  readonly memoryLimit?: number;
  /** `request_disk`, MiB; omitted when unset. */
  readonly requestDiskMiB?: number;
  /** Extra environment of the job (on top of the submitter's, `getenv = True`). */
  readonly environment?: Readonly<Record<string, string>>;
  /** Default `submit`. */
  readonly retryMode?: RetryMode;
  /** Shell for jobs with several commands; default `/bin/sh`. */
  readonly shell?: string;
}

/** Submit description path of a job, relative to the submit directory: `jobs/<label>/<job>.sub`. */
export function makeSubmitFilePath(job: Pick<GenericWorkflowJob, 'name' | 'label'>): string {
  return `jobs/${sanitizePathSegment(job.label)}/${job.name}.sub`;
}

/** Job event log (user log) path of a job, relative to the submit directory: `jobs/<label>/<job>.log`. */
export function makeUserLogPath(job: Pick<GenericWorkflowJob, 'name' | 'label'>): string {
  return `jobs/${sanitizePathSegment(job.label)}/${job.name}.log`;
}

/** `executable` and argument list of a job: one command runs directly, several through the shell joined by `&&`. */
export function planJobCommand(job: GenericWorkflowJob, shell = '/bin/sh'): { executable: string; args: string[] } {
  const commands = job.commands.filter((c) => c.length > 0);
  if (commands.length === 0) {
    throw new SiteError(`job '${job.name}' has no command to run`, { site: 'htcondor', hint: 'regenerate the workflow with bps-ts transform' });
  }
  if (commands.length === 1) {
    const argv = commands[0]!;
    // HTCondor does no PATH lookup and, with transfer_executable = False, wants a full path.
    if (argv[0]!.startsWith('/')) return { executable: argv[0]!, args: argv.slice(1) };
    return { executable: '/usr/bin/env', args: [...argv] };
  }
  const script = commands.map((argv) => argv.map(quoteShellWord).join(' ')).join(' && ');
  return { executable: shell, args: ['-c', script] };
}

/** Memory scaling of a job, or `null` when its memory stays fixed. */
export function resolveMemoryScaling(job: GenericWorkflowJob, siteLimit: number | undefined): MemoryScaling | null {
  const r = job.resources;
  if (r.memoryMultiplier === null || r.memoryMultiplier <= 1) return null;
  const limit = r.requestMemoryMax ?? r.memoryLimit ?? siteLimit;
  if (limit === undefined) {
    throw new SiteError(`job '${job.name}' scales memory (memoryMultiplier ${r.memoryMultiplier}) but no memory limit is known`, {
      site: 'htcondor',
      hint: 'set memoryLimit (MiB) in the site section or requestMemoryMax for the job',
    });
  }
  return { requestMemory: r.requestMemory, multiplier: r.memoryMultiplier, limit: Math.max(limit, r.requestMemory) };
}

/** `label:count;label:count` in label order, as the reference's `bps_job_quanta`. */
function formatCounts(counts: Readonly<Record<string, number>>): string {
  return Object.keys(counts)
    .sort()
    .map((k) => `${k}:${counts[k]}`)
    .join(';');
}

/** One `key = value` line with `$` protected and line breaks refused. */
function line(key: string, value: string | number, where: string): string {
  const text = String(value);
  if (/[\n\r\0]/.test(text)) throw new SiteError(`${where}: ${key} value ${JSON.stringify(text)} contains a line break`, { site: 'htcondor', hint: 'rename the file or directory so it has no line break' });
  return `${key} = ${typeof value === 'number' ? text : escapeSubmitMacros(text)}`;
}

/**
 * The HTCondor submit description of one job (vanilla universe, one proc). Paths are
 * relative to the submit directory, where DAGMan runs. Memory grows after memory holds
 * when the job has a multiplier; retries are the schedd's (`max_retries`, `retry_until`)
 * unless `retryMode` is `dag`; custom `+bps_*` attributes carry run, job and label.
 */
export function formatSubmitDescription(options: SubmitDescriptionOptions): string {
  const { workflow, job } = options;
  const where = `submit description of job '${job.name}'`;
  resolveJobLogPaths(workflow.submitPath, job);
  const { executable, args } = planJobCommand(job, options.shell);
  const r = job.resources;
  const scaling = resolveMemoryScaling(job, options.memoryLimit ?? DEFAULT_MEMORY_LIMIT_MIB);
  const out: string[] = [
    `# HTCondor submit description of job ${job.name} (label ${job.label}), written by bps-ts; do not edit`,
    'universe = vanilla',
    line('executable', executable, where),
  ];
  if (args.length > 0) out.push(`arguments = ${quoteSubmitArguments(args, `${where}: arguments`)}`);
  out.push('transfer_executable = False', 'getenv = True', `request_cpus = ${r.requestCpus}`);
  out.push(`request_memory = ${scaling === null ? Math.ceil(r.requestMemory) : formatRequestMemoryExpression(scaling)}`);
  if (options.requestDiskMiB !== undefined) out.push(`request_disk = ${Math.ceil(options.requestDiskMiB)}MB`);
  out.push(line('output', job.stdout, where), line('error', job.stderr, where), line('log', makeUserLogPath(job), where));
  const retries = (options.retryMode ?? 'submit') === 'submit' ? r.numberOfRetries : 0;
  out.push(`max_retries = ${retries}`);
  if (retries > 0 && r.retryUnlessExit.length > 0) out.push(`retry_until = ${formatRetryUntilExpression(r.retryUnlessExit)}`);
  out.push(`on_exit_hold = ${ON_EXIT_HOLD}`, `on_exit_hold_reason = ${ON_EXIT_HOLD_REASON}`, `on_exit_hold_subcode = ${ON_EXIT_HOLD_SUBCODE}`);
  if (retries > 0 && scaling !== null) out.push(`periodic_release = ${formatPeriodicReleaseExpression(scaling)}`);
  out.push(`periodic_remove = HoldReasonCode =!= 1 && ${formatPeriodicRemoveExpression(scaling)}`);
  if (job.concurrencyLimit !== undefined) out.push(line('concurrency_limits', job.concurrencyLimit, where));
  if (options.environment !== undefined && Object.keys(options.environment).length > 0) {
    out.push(`environment = ${quoteSubmitEnvironment(options.environment, `${where}: environment`)}`);
  }
  const attrs: [string, string][] = [
    ['JobBatchName', workflow.name],
    ['bps_isjob', 'True'],
    ['bps_run', workflow.name],
    ['bps_job_name', job.name],
    ['bps_job_label', job.label],
    ['bps_job_kind', job.kind],
    ['bps_job_quanta', formatCounts(job.quantaCounts)],
  ];
  for (const [key, value] of attrs) out.push(`+${key} = ${formatClassAdString(value, `${where}: +${key}`)}`);
  out.push('queue', '');
  return out.join('\n');
}
