import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RunStateStore, type RunMetadata } from '../bps/index.js';
import { Butler } from '../butler/index.js';
import { clusterQuantumGraph } from '../cluster/index.js';
import { loadBpsConfig } from '../config/index.js';
import { QUANTUM_GRAPH_FORMAT_VERSION, writeQuantumGraph, type GraphDatasetRef, type Quantum, type QuantumGraph } from '../graph/index.js';
import { getSitePlugin, type PreparedSite, type SitePlugin } from '../sites/index.js';
import { createSilentLogger, makeUuid7, type Logger } from '../util/index.js';
import { transformWorkflow, type GenericWorkflow } from '../workflow/index.js';

const RUN = 'bench/noop/run';

/** A graph of `visits × detectors` independent quanta of `bps_ts.tasks.NoOpTask`. */
export function makeNoOpGraph(visits: number, detectors: number, repo: string): QuantumGraph {
  const quanta: Quantum[] = [];
  const ref = (type: string, dataId: Record<string, string | number>): GraphDatasetRef => ({
    id: makeUuid7(), datasetType: type, dataId, run: RUN, path: `${RUN}/${type}/${dataId['visit']}/${type}_${dataId['visit']}_${dataId['detector']}.json`,
  });
  for (let v = 0; v < visits; v++) {
    for (let d = 0; d < detectors; d++) {
      const dataId = { instrument: 'Bench', visit: v, detector: d };
      quanta.push({ id: makeUuid7(), index: quanta.length, taskLabel: 'noop', dataId, inputs: {}, prerequisites: {}, outputs: { _metadata: [ref('noop_metadata', dataId)], _log: [ref('noop_log', dataId)] }, upstream: [] });
    }
  }
  const dims = ['instrument', 'visit', 'detector'];
  return {
    header: {
      formatVersion: QUANTUM_GRAPH_FORMAT_VERSION, createdAt: new Date().toISOString(), user: 'bench', host: hostname(), commandLine: 'bench', repo, inputCollections: [], outputCollection: 'bench/noop', outputRun: RUN,
      pipelineYaml: '', globalInitOutputs: [], quantumCount: quanta.length, datasetCount: 2 * quanta.length,
      tasks: [{ label: 'noop', taskClass: 'bps_ts.tasks.NoOpTask', dimensions: dims, config: {}, initInputs: {}, initOutputs: {}, storageClasses: { _metadata: 'TaskMetadata', _log: 'ButlerLogRecords' }, quanta: quanta.length }],
      datasetTypes: [{ name: 'noop_metadata', dimensions: dims, storageClass: 'TaskMetadata', isCalibration: false }, { name: 'noop_log', dimensions: dims, storageClass: 'ButlerLogRecords', isCalibration: false }],
    },
    quanta,
  };
}

/** A no-op run set up as `bps-ts submit` would, up to (not including) the site's submit. */
export interface NoOpRun {
  readonly graph: QuantumGraph;
  readonly workflow: GenericWorkflow;
  readonly site: SitePlugin;
  readonly prepared: PreparedSite;
  /** The run-state store, with its first submission begun; the caller closes it. */
  readonly store: RunStateStore;
  readonly log: Logger;
}

/**
 * Sets up `visits × detectors` no-op quanta in a fresh repository under `dir` for a site:
 * graph file, submit YAML (no init or final job, no retries, jobs start the `qg` bundle, plus
 * `configLines`), clustering, transform, the site's prepare stage and a run-state store.
 */
export async function prepareNoOpRun(options: { dir: string; visits: number; detectors: number; site: string; name: string; configLines: readonly string[] }): Promise<NoOpRun> {
  const { dir } = options;
  const repo = join(dir, 'repo');
  await (await Butler.create(repo)).close();
  const graph = makeNoOpGraph(options.visits, options.detectors, repo);
  const graphFile = join(dir, 'noop.qg');
  writeQuantumGraph(graphFile, graph);
  const configFile = join(dir, 'bench.yaml');
  writeFileSync(configFile, [
    `payload: {payloadName: noop, butlerConfig: ${JSON.stringify(repo)}, runInit: false, outputRun: ${JSON.stringify(graph.header.outputRun)}}`,
    'finalJob: {whenRun: NEVER}',
    'numberOfRetries: 0',
    `computeSite: ${options.site}`,
    `qgExecutable: [${JSON.stringify(process.execPath)}, ${JSON.stringify(fileURLToPath(new URL('../cli/qg-bundle.mjs', import.meta.url)))}]`,
    ...options.configLines,
  ].join('\n'));
  const config = loadBpsConfig({ file: configFile, cwd: dir, env: { USER: 'bench' } });
  const { clustered } = clusterQuantumGraph({ graph, config, name: options.name });
  const { workflow } = transformWorkflow({ config, clustered, graph, graphFile });
  mkdirSync(workflow.submitPath, { recursive: true });
  const site = getSitePlugin(options.site);
  const log = createSilentLogger();
  const prepared = await site.prepare({ workflow, config, submitPath: workflow.submitPath, cwd: dir, log });
  const meta: RunMetadata = {
    id: workflow.name, submitPath: workflow.submitPath, operator: 'bench', project: '', campaign: '', payload: 'noop', outputRun: graph.header.outputRun, computeSite: options.site, siteType: options.site, configFile, repo, graphFile,
    workflowFile: '', cwd: dir, user: 'bench', createdAt: new Date().toISOString(), errorPatterns: [], prepared: prepared as unknown as Record<string, unknown>,
  };
  const store = RunStateStore.create(join(workflow.submitPath, 'run-state.sqlite3'), meta, workflow);
  store.beginSubmission({ kind: 'submit', startedAt: Date.now(), driverHost: hostname(), driverPid: process.pid, driverPidStart: null, amendments: [] });
  return { graph, workflow, site, prepared, store, log };
}
