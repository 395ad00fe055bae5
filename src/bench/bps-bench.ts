import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RunStateStore, type RunMetadata } from '../bps/index.js';
import { Butler } from '../butler/index.js';
import { clusterQuantumGraph } from '../cluster/index.js';
import { loadBpsConfig } from '../config/index.js';
import { QUANTUM_GRAPH_FORMAT_VERSION, writeQuantumGraph, type GraphDatasetRef, type Quantum, type QuantumGraph } from '../graph/index.js';
import { getSitePlugin } from '../sites/index.js';
import { createSilentLogger, makeUuid7 } from '../util/index.js';
import { transformWorkflow } from '../workflow/index.js';
import type { BenchResult } from './measure.js';

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

/**
 * 10,000 no-op quanta through the local site with dimension clustering (one job per visit),
 * `run-qbb` executing them for real and the run state persisted: quanta per second of the
 * payload jobs, from the site's submit to its return (graph, clustering and transform excluded).
 */
export async function benchLocalSite(options: { visits?: number; detectors?: number } = {}): Promise<BenchResult[]> {
  const visits = options.visits ?? 20;
  const detectors = options.detectors ?? 500;
  const dir = mkdtempSync(join(tmpdir(), 'bps-bench-'));
  try {
    const repo = join(dir, 'repo');
    await (await Butler.create(repo)).close();
    const graph = makeNoOpGraph(visits, detectors, repo);
    const graphFile = join(dir, 'noop.qg');
    writeQuantumGraph(graphFile, graph);
    const configFile = join(dir, 'bench.yaml');
    writeFileSync(configFile, [
      'payload: {payloadName: noop, butlerConfig: ' + JSON.stringify(repo) + ', runInit: false, outputRun: ' + JSON.stringify(RUN) + '}',
      'finalJob: {whenRun: NEVER}',
      'numberOfRetries: 0',
      'cluster: {byVisit: {pipetasks: noop, dimensions: visit}}',
      `qgExecutable: [${JSON.stringify(process.execPath)}, ${JSON.stringify(fileURLToPath(new URL('../cli/qg-bundle.mjs', import.meta.url)))}]`,
    ].join('\n'));
    const config = loadBpsConfig({ file: configFile, cwd: dir, env: { USER: 'bench' } });
    const { clustered } = clusterQuantumGraph({ graph, config, name: 'bench_noop' });
    const { workflow } = transformWorkflow({ config, clustered, graph, graphFile });
    const site = getSitePlugin('local');
    const log = createSilentLogger();
    const prepared = await site.prepare({ workflow, config, submitPath: dir, cwd: dir, log });
    const meta: RunMetadata = {
      id: workflow.name, submitPath: dir, operator: 'bench', project: '', campaign: '', payload: 'noop', outputRun: RUN, computeSite: 'local', siteType: 'local', configFile, repo, graphFile,
      workflowFile: '', cwd: dir, user: 'bench', createdAt: new Date().toISOString(), errorPatterns: [], prepared: prepared as unknown as Record<string, unknown>,
    };
    const store = RunStateStore.create(join(dir, 'run-state.sqlite3'), meta, workflow);
    store.beginSubmission({ kind: 'submit', startedAt: Date.now(), driverHost: hostname(), driverPid: process.pid, driverPidStart: null, amendments: [] });
    const started = performance.now();
    await site.submit({ workflow, prepared, recorder: store, log });
    const seconds = (performance.now() - started) / 1000;
    const failed = store.jobs().filter((j) => j.state !== 'succeeded').length;
    store.close();
    const quanta = graph.quanta.length;
    const note = `${workflow.jobs.length} jobs of ${detectors} quanta, ${String(prepared.settings['maxJobs'])} at once on ${availableParallelism()} cores${failed ? `; ${failed} JOBS FAILED` : ''}`;
    return [
      { name: `local site: ${quanta} no-op quanta, clustered`, backend: 'sqlite', value: quanta / seconds, unit: 'quanta/s', target: 1000, lowerIsBetter: false, note },
      { name: 'local site: wall time of the run', backend: 'sqlite', value: seconds, unit: 's', lowerIsBetter: true, note: 'Parsl HTEX peaks near 1,200 tasks/s' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
