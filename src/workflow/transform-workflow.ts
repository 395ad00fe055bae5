import { join } from 'node:path';
import { finishResources, readResourceSettings, type ClusteredQuantumGraph, type QuantaCluster, type TagValue } from '../cluster/index.js';
import { expandCommand, searchBoolean, searchString, type BpsConfig, type SearchOptions } from '../config/index.js';
import type { QuantumGraph } from '../graph/index.js';
import { compileJobText, type JobText } from './fill-job-fields.js';
import { makeJobLogPaths } from './job-log-paths.js';
import { sanitizeJobName, sanitizePathSegment, UniqueNames } from './safe-names.js';
import { WorkflowError } from './workflow-error.js';
import { GENERIC_WORKFLOW_FORMAT_VERSION, type GenericWorkflow, type GenericWorkflowJob, type WorkflowCounts } from './workflow-types.js';

/** Options of {@link transformWorkflow}. */
export interface TransformWorkflowOptions {
  readonly config: BpsConfig;
  readonly clustered: ClusteredQuantumGraph;
  /** The graph that was clustered (for the quantum ids). */
  readonly graph: QuantumGraph;
  /** The graph file jobs read (default: `runQgraphFile` from the config). */
  readonly graphFile?: string;
}

/** What the transform stage produces. */
export interface TransformWorkflowResult {
  readonly workflow: GenericWorkflow;
  readonly counts: WorkflowCounts;
}

const INIT = 'pipetaskInit';
const FINAL = 'finalJob';
const JOB_VARS = ['qgraphNodeId', 'jobName', 'jobLabel'];

function required(config: BpsConfig, key: string, hint: string): string {
  const value = searchString(config, key);
  if (value === undefined || value === '') throw new WorkflowError(`bps setting '${key}' is not defined`, { key, hint });
  return value;
}

/**
 * Turns a clustered graph into a generic workflow: an init job (`runInit`), one job per
 * cluster running `runQuantumCommand` on its quantum ids, and a final job (`finalJob`,
 * running even after failures when `whenRun: ALWAYS`). Commands are argument arrays; job
 * names are sanitised and unique; log paths stay under the submit directory. Pure.
 */
export function transformWorkflow(options: TransformWorkflowOptions): TransformWorkflowResult {
  const { config, clustered, graph } = options;
  const graphFile = options.graphFile ?? required(config, 'runQgraphFile', 'set runQgraphFile (the acquire stage does) or pass the graph file');
  const repo = required(config, 'butlerConfig', 'set payload.butlerConfig or pass -b REPO');
  const submitPath = required(config, 'submitPath', 'set submitPath');
  const computeSite = searchString(config, 'computeSite') ?? 'local';
  const names = new UniqueNames([INIT, FINAL]);
  const base = { qgraphFile: graphFile };

  const init = (searchBoolean(config, 'runInit') ?? false) ? makeInitJob(config, base) : undefined;
  const payload = makePayloadJobs({ config, clustered, graph, base, names, sourceParents: init ? [init.name] : [], submitPath });
  const jobs: GenericWorkflowJob[] = init ? [init, ...payload] : payload;
  const hasChildren = new Set<string>();
  for (const job of payload) for (const p of job.parents) hasChildren.add(p);
  const final = makeFinalJob(config, base, jobs.filter((j) => !hasChildren.has(j.name)).map((j) => j.name));
  if (final) jobs.push(final);

  const workflow: GenericWorkflow = {
    formatVersion: GENERIC_WORKFLOW_FORMAT_VERSION,
    name: clustered.name,
    submitPath,
    repo,
    graphFile,
    computeSite,
    runAttributes: {
      operator: searchString(config, 'operator') ?? '',
      project: searchString(config, 'project') ?? '',
      campaign: searchString(config, 'campaign') ?? '',
      payloadName: searchString(config, 'payloadName') ?? '',
      outputRun: graph.header.outputRun,
      computeSite,
    },
    jobs,
  };
  return {
    workflow,
    counts: {
      jobs: jobs.length,
      payloadJobs: payload.length,
      quanta: payload.reduce((n, j) => n + j.quantumIds.length, 0),
      dependencies: jobs.reduce((n, j) => n + j.parents.length, 0),
      hasInit: init !== undefined,
      hasFinal: final !== undefined,
    },
  };
}

interface LabelTemplate {
  readonly command: readonly JobText[];
  readonly subDir: JobText;
}

interface PayloadJobsInput {
  readonly config: BpsConfig;
  readonly clustered: ClusteredQuantumGraph;
  readonly graph: QuantumGraph;
  readonly base: Record<string, string>;
  readonly names: UniqueNames;
  /** Parents of the jobs that have no cluster parents (the init job). */
  readonly sourceParents: readonly string[];
  readonly submitPath: string;
}

/** Longest `{qgraphNodeId}` value passed inline (characters); beyond it, `@file`. */
export const MAX_ID_ARGUMENT = 32_768;

function makePayloadJobs({ config, clustered, graph, base, names, sourceParents, submitPath }: PayloadJobsInput): GenericWorkflowJob[] {
  const tagKeys = new Map<string, Set<string>>();
  for (const c of clustered.clusters) {
    let keys = tagKeys.get(c.label);
    if (keys === undefined) tagKeys.set(c.label, (keys = new Set()));
    for (const k in c.tags) keys.add(k);
  }
  const templates = new Map<string, LabelTemplate>();
  const templateOf = (label: string): LabelTemplate => {
    let t = templates.get(label);
    if (t === undefined) {
      const deferred = new Set([...JOB_VARS, 'label', ...tagKeys.get(label)!]);
      const curvals = { ...base, curr_pipetask: label, curr_cluster: label };
      const command = expandCommand(config, 'runQuantumCommand', { curvals, skipNames: [...deferred] });
      if (command === undefined || command.length === 0) throw new WorkflowError(`no runQuantumCommand for jobs of '${label}'`, { key: 'runQuantumCommand', hint: 'set runQuantumCommand at the top level (the defaults do)' });
      const subDir = String(config.search('subDirTemplate', { curvals, skipNames: [...deferred], undefinedVars: 'blank', default: '{label}' }));
      templates.set(label, (t = {
        command: command.map((arg) => compileJobText(arg, { names: deferred, missing: 'error', key: 'runQuantumCommand' })),
        subDir: compileJobText(subDir, { names: deferred, missing: 'blank', key: 'subDirTemplate' }),
      }));
    }
    return t;
  };
  const jobNames: string[] = clustered.clusters.map((c) => names.take(sanitizeJobName(c.name)));
  return clustered.clusters.map((cluster, i) => {
    const t = templateOf(cluster.label);
    const name = jobNames[i]!;
    const quantumIds = cluster.quanta.map((q) => graph.quanta[q]!.id);
    const joined = quantumIds.length === 1 ? quantumIds[0]! : [...quantumIds].sort().join(',');
    // Linux refuses a single argument over 128 KiB; long lists go through a file.
    const idsFile = joined.length > MAX_ID_ARGUMENT ? `jobs/${sanitizePathSegment(name)}.qgraph-ids` : undefined;
    const nodeIds = idsFile === undefined ? joined : `@${join(submitPath, idsFile)}`;
    const tags = cluster.tags;
    const lookup = (field: string): TagValue | undefined => {
      switch (field) {
        case 'qgraphNodeId':
          return nodeIds;
        case 'jobName':
          return name;
        case 'jobLabel':
        case 'label':
          return cluster.label;
        default:
          return tags[field];
      }
    };
    const command = t.command.map((arg) => arg(lookup));
    const subDir = t.subDir(lookup);
    const parents = cluster.parents.length === 0 ? [...sourceParents] : cluster.parents.map((p) => jobNames[p]!);
    const job = payloadJob(cluster, name, quantumIds, [command], parents, makeJobLogPaths(subDir, name));
    return idsFile === undefined ? job : { ...job, quantumIdsFile: idsFile };
  });
}

function payloadJob(cluster: QuantaCluster, name: string, quantumIds: string[], commands: string[][], parents: string[], logs: { stdout: string; stderr: string }): GenericWorkflowJob {
  return { name, label: cluster.label, kind: 'payload', tags: cluster.tags, quantumIds, quantaCounts: cluster.quantaCounts, commands, resources: cluster.resources, parents, runAlways: false, stdout: logs.stdout, stderr: logs.stderr };
}

function makeInitJob(config: BpsConfig, base: Record<string, string>): GenericWorkflowJob {
  const opts: SearchOptions = { curvals: { ...base, curr_pipetask: INIT, jobName: INIT, jobLabel: INIT } };
  const command = expandCommand(config, 'runQuantumCommand', opts);
  if (command === undefined) throw new WorkflowError(`no runQuantumCommand for '${INIT}'`, { key: `pipetask.${INIT}.runQuantumCommand`, hint: 'set pipetask.pipetaskInit.runQuantumCommand or payload.runInit: false' });
  return {
    name: INIT, label: INIT, kind: 'init', tags: {}, quantumIds: [], quantaCounts: {}, commands: [command],
    resources: finishResources(readResourceSettings(config, opts)), parents: [], runAlways: false, ...makeJobLogPaths(INIT, INIT),
  };
}

function makeFinalJob(config: BpsConfig, base: Record<string, string>, parents: string[]): GenericWorkflowJob | undefined {
  const whenRun = (searchString(config, `.${FINAL}.whenRun`) ?? 'ALWAYS').toUpperCase();
  if (whenRun === 'NEVER') return undefined;
  if (whenRun !== 'ALWAYS' && whenRun !== 'SUCCESS') {
    throw new WorkflowError(`invalid finalJob.whenRun '${whenRun}'`, { key: `${FINAL}.whenRun`, hint: 'use ALWAYS, SUCCESS or NEVER' });
  }
  const section = config.raw(FINAL);
  const searchobj = typeof section === 'object' && section !== null && !Array.isArray(section) ? (section as Record<string, unknown>) : {};
  const opts: SearchOptions = { searchobj, curvals: { ...base, jobName: FINAL, jobLabel: FINAL } };
  const commands: string[][] = [];
  for (let i = 1; config.raw(`${FINAL}.command${i}`) !== undefined; i++) {
    const command = expandCommand(config, `.${FINAL}.command${i}`, opts);
    if (command !== undefined && command.length > 0) commands.push(command);
  }
  if (commands.length === 0) throw new WorkflowError('no finalJob commands were found', { key: `${FINAL}.command1`, hint: 'set finalJob.command1, or finalJob.whenRun: NEVER to turn the final job off' });
  const limit = searchString(config, 'concurrencyLimit', { searchobj });
  return {
    name: FINAL, label: FINAL, kind: 'final', tags: {}, quantumIds: [], quantaCounts: {}, commands,
    resources: finishResources(readResourceSettings(config, opts)), parents, runAlways: whenRun === 'ALWAYS',
    ...makeJobLogPaths(FINAL, FINAL), ...(limit ? { concurrencyLimit: limit } : {}),
  };
}
