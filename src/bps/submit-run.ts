import { existsSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { ClusteredQuantumGraph } from '../cluster/index.js';
import { searchList, type ConfigEnv } from '../config/index.js';
import type { QuantumGraph } from '../graph/index.js';
import { readProcessStart, type PreparedSite } from '../sites/index.js';
import type { Logger } from '../util/index.js';
import type { GenericWorkflow } from '../workflow/index.js';
import { acquireGraph, readRunGraphFile } from './acquire-stage.js';
import { RunBusyError } from './bps-errors.js';
import { clusterStage } from './cluster-stage.js';
import { DEFAULT_ERROR_PATTERNS } from './error-lines.js';
import { prepareStage, readSiteType } from './prepare-stage.js';
import { RunIndex } from './run-index.js';
import { RUN_STATE_FILE } from './run-state-schema.js';
import { RunStateStore, type RunMetadata } from './run-state-store.js';
import { runStage, StageName } from './stage-log.js';
import { loadSubmissionConfig, readSubmitPath, writeSubmissionInput, type SubmissionInput } from './submission-input.js';
import { transformStage, workflowFile } from './transform-stage.js';

/** Options of {@link runSubmitStages}. */
export interface SubmitStagesOptions {
  readonly input: SubmissionInput;
  readonly env: ConfigEnv;
  /** How jobs start this installation's `qg` (see `loadSubmissionConfig`). */
  readonly qgCommand?: readonly string[];
  /** Last stage to run (`submit` for all). */
  readonly stopAfter: StageName;
  /** bps-ts home (run index). */
  readonly home: string;
  readonly log: Logger;
  /**
   * Runs the registered run (submit stage): drive it here, or start a detached driver.
   * Receives the run-state file and the submission number.
   */
  readonly launch?: (runState: string, submission: number) => Promise<void>;
}

/** What {@link runSubmitStages} did. */
export interface SubmitStagesResult {
  readonly runId: string;
  readonly submitPath: string;
  readonly stages: readonly StageName[];
  readonly graphFile: string;
  readonly workflowFile: string | null;
  readonly runState: string | null;
}

/**
 * `bps-ts submit` and its stages: acquire → cluster → transform → prepare → submit, each
 * writing its artifact into the submit directory and reusing it when it is already there
 * (so a stopped or failed submission resumes from the last artifact), each logging one line.
 */
export async function runSubmitStages(options: SubmitStagesOptions): Promise<SubmitStagesResult> {
  const { input, log } = options;
  const config = loadSubmissionConfig({ input, env: options.env, ...(options.qgCommand ? { qgCommand: options.qgCommand } : {}) });
  const submitPath = readSubmitPath(config, input.cwd);
  if (existsSync(join(submitPath, RUN_STATE_FILE))) {
    throw new RunBusyError(`'${submitPath}' was already submitted`, { hint: `use bps-ts restart --id ${submitPath} to rerun what failed` });
  }
  mkdirSync(submitPath, { recursive: true });
  writeSubmissionInput(submitPath, input);
  log.info({ submitPath }, `Submit directory '${submitPath}'`);
  const stopAt = StageName.indexOf(options.stopAfter);
  const stages: StageName[] = [];
  const done = (s: StageName): boolean => {
    stages.push(s);
    return StageName.indexOf(s) >= stopAt;
  };

  const acquired = await runStage('acquire', log, () => acquireGraph({ config, submitPath, cwd: input.cwd, log }));
  const name = submitPathName(config, acquired.graph);
  const result = (wf: GenericWorkflow | null, runState: string | null): SubmitStagesResult => ({ runId: wf?.name ?? name, submitPath, stages, graphFile: acquired.graphFile, workflowFile: wf ? workflowFile(submitPath, wf.name) : null, runState });
  if (done('acquire')) return result(null, null);
  const graph = (): QuantumGraph => acquired.graph;
  const clustered: ClusteredQuantumGraph = await runStage('cluster', log, () => clusterStage({ config, submitPath, name, graph }));
  log.info(`ClusteredQuantumGraph contains ${clustered.clusters.length} cluster(s)`);
  if (done('cluster')) return result(null, null);
  const workflow = await runStage('transform', log, () => transformStage({ config, submitPath, name, graphFile: acquired.graphFile, clustered: async () => clustered, graph }));
  log.info(`GenericWorkflow '${workflow.name}' contains ${workflow.jobs.length} job(s) (including final)`);
  if (done('transform')) return result(workflow, null);
  const prepared = await runStage('prepare', log, () => prepareStage({ config, workflow, submitPath, cwd: input.cwd, log, reuse: true }));
  if (done('prepare')) return result(workflow, null);

  const runState = join(submitPath, RUN_STATE_FILE);
  await runStage('submit', log, async () => {
    const meta = makeRunMetadata({ workflow, prepared, input, submitPath, graphFile: acquired.graphFile, siteType: readSiteType(config), errorPatterns: searchList(config, 'errorPatterns') ?? DEFAULT_ERROR_PATTERNS, user: options.env['USER'] ?? options.env['LOGNAME'] ?? 'unknown' });
    const store = RunStateStore.create(runState, meta, workflow);
    const submission = store.beginSubmission({ kind: 'submit', startedAt: Date.now(), driverHost: hostname(), driverPid: process.pid, driverPidStart: readProcessStart(process.pid), amendments: [] });
    store.close();
    const index = RunIndex.open(options.home);
    try {
      index.add(meta);
    } finally {
      index.close();
    }
    log.info({ run: meta.id }, `Run id '${meta.id}'`);
    if (options.launch) await options.launch(runState, submission);
    return { value: undefined, counts: { run: meta.id, site: meta.siteType, jobs: workflow.jobs.length } };
  });
  done('submit');
  return result(workflow, runState);
}

function submitPathName(config: Parameters<typeof readRunGraphFile>[0], graph: QuantumGraph): string {
  const name = config.search('uniqProcName', { default: undefined });
  return typeof name === 'string' && name !== '' ? name : graph.header.outputRun.replaceAll('/', '_');
}

function makeRunMetadata(o: { workflow: GenericWorkflow; prepared: PreparedSite; input: SubmissionInput; submitPath: string; graphFile: string; siteType: string; errorPatterns: readonly string[]; user: string }): RunMetadata {
  const a = o.workflow.runAttributes;
  return {
    id: o.workflow.name, submitPath: o.submitPath, operator: a.operator, project: a.project, campaign: a.campaign, payload: a.payloadName, outputRun: a.outputRun,
    computeSite: o.workflow.computeSite, siteType: o.siteType, configFile: o.input.configFile, repo: o.workflow.repo, graphFile: o.graphFile,
    workflowFile: workflowFile(o.submitPath, o.workflow.name), cwd: o.input.cwd, user: o.user, createdAt: o.input.submittedAt, errorPatterns: o.errorPatterns,
    prepared: o.prepared as unknown as Record<string, unknown>,
  };
}
