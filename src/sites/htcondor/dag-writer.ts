import type { GenericWorkflow, GenericWorkflowJob } from '../../workflow/index.js';
import { SiteError } from '../site-error.js';
import { formatClassAdString } from './submit-language.js';
import { makeSubmitFilePath, type RetryMode } from './submit-writer.js';

/** Script DAGMan runs after the final node: its exit code becomes the DAG's (see {@link formatFinalPostScript}). */
export const FINAL_POST_SCRIPT = 'final_post.sh';

/** Options of {@link formatDag}. */
export interface DagWriterOptions {
  readonly workflow: GenericWorkflow;
  /** `MAXJOBS` per category (a job's `concurrencyLimit` is its `CATEGORY`). */
  readonly categoryLimits?: Readonly<Record<string, number>>;
  /** `PRIORITY` per job label (higher runs first among ready nodes). */
  readonly priorities?: Readonly<Record<string, number>>;
  /** `dag` writes `RETRY ... UNLESS-EXIT`; `submit` (default) leaves retries to the submit files. */
  readonly retryMode?: RetryMode;
}

/** Base name of the DAG and of the files named after it (`<name>.dag`, `.node_status`, `.jobstate.log`, `.dot`). */
export function makeDagBaseName(workflow: Pick<GenericWorkflow, 'name'>): string {
  return workflow.name.replace(/[^A-Za-z0-9_.-]/g, '_');
}

/**
 * DAG node names for the jobs: DAGMan forbids white space, `.` and `+` (reserved) and the
 * words PARENT and CHILD, so those characters become `_` and clashes get `_2`, `_3`...
 * Deterministic: the workflow's job order decides who keeps the plain name.
 */
export function makeNodeNames(jobs: readonly Pick<GenericWorkflowJob, 'name'>[]): Map<string, string> {
  const used = new Set<string>();
  const names = new Map<string, string>();
  for (const job of jobs) {
    let base = job.name.replace(/[\s.+"]/g, '_');
    if (/^(parent|child)$/i.test(base)) base = `${base}_node`;
    let candidate = base;
    for (let n = 2; used.has(candidate.toLowerCase()); n++) candidate = `${base}_${n}`;
    used.add(candidate.toLowerCase());
    names.set(job.name, candidate);
  }
  return names;
}

/** A token of a DAG line that DAGMan reads as a whitespace-delimited word. */
function checkToken(value: string, what: string): string {
  if (value === '' || /[\s"]/.test(value)) {
    throw new SiteError(`DAG ${what} ${JSON.stringify(value)} contains white space or a double quote, which DAGMan cannot read there`, {
      site: 'htcondor',
      hint: 'use a run name and labels made of letters, digits, _ . and -',
    });
  }
  return value;
}

/** A `VARS` value: double-quoted, `\` and `"` escaped with a backslash (DAGMan rules). */
function quoteVarsValue(value: string): string {
  if (/[\n\r]/.test(value)) throw new SiteError(`VARS value ${JSON.stringify(value)} contains a line break`, { site: 'htcondor', hint: 'use a job name without line breaks' });
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `label:count;...` of jobs per label, in first-seen order, as the reference's `bps_job_summary`. */
function summarizeJobs(jobs: readonly GenericWorkflowJob[]): string {
  const counts = new Map<string, number>();
  for (const j of jobs) counts.set(j.label, (counts.get(j.label) ?? 0) + 1);
  return [...counts].map(([k, v]) => `${k}:${v}`).join(';');
}

/** `label:count;...` of quanta per task label over all jobs, sorted by label. */
function summarizeQuanta(jobs: readonly GenericWorkflowJob[]): string {
  const counts = new Map<string, number>();
  for (const j of jobs) for (const [k, v] of Object.entries(j.quantaCounts)) counts.set(k, (counts.get(k) ?? 0) + v);
  return [...counts.keys()].sort().map((k) => `${k}:${counts.get(k)}`).join(';');
}

/**
 * The DAG description of a workflow. Jobs keep the workflow's order; `PARENT ... CHILD`
 * lines follow the children in that order; the final job (`runAlways`) becomes the `FINAL`
 * node with a `SCRIPT POST` that turns the DAG status into the final exit code; a job's
 * `concurrencyLimit` becomes its `CATEGORY` (throttled by `MAXJOBS`). Submit file paths
 * are quoted (they may hold spaces); all paths are relative to the submit directory, the
 * directory DAGMan runs in.
 */
export function formatDag(options: DagWriterOptions): string {
  const { workflow } = options;
  const jobs = workflow.jobs;
  const finals = jobs.filter((j) => j.runAlways);
  if (finals.length > 1) {
    throw new SiteError(`workflow '${workflow.name}' has ${finals.length} run-always jobs (${finals.map((j) => j.name).join(', ')}); a DAG has one FINAL node`, { site: 'htcondor', hint: 'keep a single final job in the workflow' });
  }
  const final = finals[0];
  const nodes = makeNodeNames(jobs);
  const node = (name: string): string => {
    const n = nodes.get(name);
    if (n === undefined) throw new SiteError(`job '${name}' is named as a parent but is not in workflow '${workflow.name}'`, { site: 'htcondor', hint: 'regenerate the workflow with bps-ts transform' });
    return n;
  };
  const base = checkToken(makeDagBaseName(workflow), 'file name');
  const out: string[] = [`# DAG of run ${workflow.name}, written by bps-ts; do not edit`];
  const regular = jobs.filter((j) => j !== final);
  for (const job of regular) {
    out.push(`JOB ${node(job.name)} "${makeSubmitFilePath(job)}"`);
    out.push(`VARS ${node(job.name)} bps_job_name=${quoteVarsValue(job.name)}`);
    const priority = options.priorities?.[job.label];
    if (priority !== undefined) out.push(`PRIORITY ${node(job.name)} ${Math.trunc(priority)}`);
    if (job.concurrencyLimit !== undefined) out.push(`CATEGORY ${node(job.name)} ${checkToken(job.concurrencyLimit, 'category')}`);
    if (options.retryMode === 'dag' && job.resources.numberOfRetries > 0) {
      const codes = job.resources.retryUnlessExit;
      if (codes.length > 1) {
        throw new SiteError(`job '${job.name}' has several retryUnlessExit codes ${JSON.stringify(codes)}; DAG RETRY ... UNLESS-EXIT takes one`, { site: 'htcondor', hint: 'use retryMode submit (the default) or a single exit code' });
      }
      out.push(`RETRY ${node(job.name)} ${job.resources.numberOfRetries}${codes.length === 1 ? ` UNLESS-EXIT ${codes[0]}` : ''}`);
    }
  }
  for (const job of regular) {
    const parents = job.parents.filter((p) => p !== final?.name);
    if (parents.length > 0) out.push(`PARENT ${parents.map(node).join(' ')} CHILD ${node(job.name)}`);
  }
  const categories = [...new Set(regular.flatMap((j) => (j.concurrencyLimit === undefined ? [] : [j.concurrencyLimit])))].sort();
  for (const category of categories) {
    const max = options.categoryLimits?.[category];
    if (max !== undefined) out.push(`MAXJOBS ${category} ${Math.max(1, Math.trunc(max))}`);
  }
  out.push(`DOT ${base}.dot`, `NODE_STATUS_FILE ${base}.node_status`, `JOBSTATE_LOG ${base}.jobstate.log`);
  const ra = workflow.runAttributes;
  const attrs: [string, string][] = [
    ['bps_isjob', 'True'],
    ['bps_project', ra.project],
    ['bps_campaign', ra.campaign],
    ['bps_run', workflow.name],
    ['bps_operator', ra.operator],
    ['bps_payload', ra.payloadName],
    ['bps_runsite', ra.computeSite],
    ['bps_wms_service', 'bps-ts htcondor'],
    ['bps_run_quanta', summarizeQuanta(jobs)],
    ['bps_job_summary', summarizeJobs(jobs)],
  ];
  for (const [key, value] of attrs) out.push(`SET_JOB_ATTR ${key} = ${formatClassAdString(value, `SET_JOB_ATTR ${key}`)}`);
  if (final !== undefined) {
    const name = node(final.name);
    out.push(`FINAL ${name} "${makeSubmitFilePath(final)}"`);
    out.push(`VARS ${name} bps_job_name=${quoteVarsValue(final.name)}`);
    out.push(`SCRIPT POST ${name} ./${FINAL_POST_SCRIPT} ${name} $DAG_STATUS $RETURN`);
  }
  out.push('');
  return out.join('\n');
}

/**
 * The POST script of the FINAL node: exits with the DAG status when the DAG failed, else
 * with the final job's own exit code, so a failed payload fails the run even when the
 * aggregation job succeeded (the reference's `final_post.sh` rule).
 */
export function formatFinalPostScript(): string {
  return [
    '#!/bin/sh',
    '# POST script of the FINAL node, written by bps-ts. Arguments: node DAG_STATUS RETURN.',
    'if [ "$2" -eq 0 ]; then ret="$3"; else ret="$2"; fi',
    'echo "final post: node=$1 dag_status=$2 return=$3 exit=$ret"',
    'exit "$ret"',
    '',
  ].join('\n');
}
