import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RunStateStore, type RunMetadata } from '../bps/index.js';
import { Butler } from '../butler/index.js';
import { clusterQuantumGraph } from '../cluster/index.js';
import { loadBpsConfig } from '../config/index.js';
import { writeQuantumGraph } from '../graph/index.js';
import { getSitePlugin, type SubmitOptions } from '../sites/index.js';
import { createSilentLogger } from '../util/index.js';
import { transformWorkflow } from '../workflow/index.js';
import { makeNoOpGraph } from './bps-bench.js';
import type { BenchResult } from './measure.js';

/** One Slurm run of the no-op graph. */
interface SlurmRun {
  readonly quanta: number;
  readonly jobs: number;
  readonly failed: number;
  /** sbatch calls made (distinct Slurm ids of the attempts, arrays counted once). */
  readonly sbatchCalls: number;
  /** The site's submit alone, s. */
  readonly submitSeconds: number;
  /** From submit until the follower saw every job done, s. */
  readonly doneSeconds: number;
  /** CPU time of this process (the driver: submit and follower), s. */
  readonly driverCpuSeconds: number;
}

/** Options of {@link benchSlurm}. */
export interface SlurmBenchOptions {
  /** Visits × detectors of the no-op graph (default 10 × 100: 1,000 quanta). */
  readonly visits?: number;
  readonly detectors?: number;
  /** Also run the single-quantum jobs as job arrays (`useJobArrays`). */
  readonly arrays?: boolean;
  /** Follower poll interval, s (default 2: the figure includes up to one interval of lag). */
  readonly pollSeconds?: number;
}

/**
 * Runs the no-op graph through the Slurm site as `bps-ts submit` would (graph, clustering,
 * transform, prepare, submit, follow), recording into a real run-state store, and cancels
 * whatever is left of it if anything throws.
 */
async function runNoOpGraph(options: { visits: number; detectors: number; clusterByVisit: boolean; arrays: boolean; pollSeconds: number }): Promise<SlurmRun> {
  const dir = mkdtempSync(join(tmpdir(), 'bps-bench-slurm-'));
  const site = getSitePlugin('slurm');
  let submitOptions: SubmitOptions | undefined;
  let siteRunId: string | undefined;
  try {
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
      'requestMemory: 256',
      'computeSite: slurm',
      ...(options.clusterByVisit ? ['cluster: {byVisit: {pipetasks: noop, dimensions: visit}}'] : []),
      `qgExecutable: [${JSON.stringify(process.execPath)}, ${JSON.stringify(fileURLToPath(new URL('../cli/qg.js', import.meta.url)))}]`,
      `site: {slurm: {submissionsPerSecond: 0, pollSeconds: ${options.pollSeconds}, useJobArrays: ${options.arrays}}}`,
    ].join('\n'));
    const config = loadBpsConfig({ file: configFile, cwd: dir, env: { USER: 'bench' } });
    const { clustered } = clusterQuantumGraph({ graph, config, name: `bench_slurm_${options.clusterByVisit ? 'visit' : 'single'}` });
    const { workflow } = transformWorkflow({ config, clustered, graph, graphFile });
    mkdirSync(workflow.submitPath, { recursive: true });
    const log = createSilentLogger();
    const prepared = await site.prepare({ workflow, config, submitPath: workflow.submitPath, cwd: dir, log });
    const meta: RunMetadata = {
      id: workflow.name, submitPath: workflow.submitPath, operator: 'bench', project: '', campaign: '', payload: 'noop', outputRun: graph.header.outputRun, computeSite: 'slurm', siteType: 'slurm', configFile, repo, graphFile,
      workflowFile: '', cwd: dir, user: 'bench', createdAt: new Date().toISOString(), errorPatterns: [], prepared: prepared as unknown as Record<string, unknown>,
    };
    const store = RunStateStore.create(join(workflow.submitPath, 'run-state.sqlite3'), meta, workflow);
    try {
      store.beginSubmission({ kind: 'submit', startedAt: Date.now(), driverHost: hostname(), driverPid: process.pid, driverPidStart: null, amendments: [] });
      submitOptions = { workflow, prepared, recorder: store, log };
      const cpu0 = process.cpuUsage();
      const started = performance.now();
      const result = await site.submit(submitOptions);
      siteRunId = result.siteRunId;
      const submitSeconds = (performance.now() - started) / 1000;
      if (!result.finished) await site.follow!(submitOptions, result.siteRunId);
      const doneSeconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpu0);
      // Array tasks carry their array's id (`<array>_<task>`): one sbatch call per distinct prefix.
      const sbatchCalls = new Set(store.attempts().map((a) => (a.siteJobId ?? '').split('_')[0])).size;
      const failed = store.jobs().filter((j) => j.state !== 'succeeded').length;
      siteRunId = undefined;
      return { quanta: graph.quanta.length, jobs: workflow.jobs.length, failed, sbatchCalls, submitSeconds, doneSeconds, driverCpuSeconds: (cpu.user + cpu.system) / 1e6 };
    } finally {
      store.close();
    }
  } finally {
    if (submitOptions !== undefined && siteRunId !== undefined) {
      await site.cancel({ submitPath: submitOptions.workflow.submitPath, siteRunId, running: [] }).catch(() => []);
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The Slurm site on a real cluster (`SLURM_CONF`): 1,000 no-op quanta (10 visits × 100
 * detectors by default) as 1,000 single-quantum batch jobs (sbatch calls per second of the
 * submit stage, unthrottled; seconds until the follower saw all done), then the same graph with
 * dimension clustering by visit (10 jobs of 100 quanta), and with `arrays` the single-quantum
 * jobs as job arrays. Each job is a real `qg run-qbb`. Skipped, with a message on stderr, when
 * SLURM_CONF is not set.
 */
export async function benchSlurm(options: SlurmBenchOptions = {}): Promise<BenchResult[]> {
  if (!process.env['SLURM_CONF']) {
    process.stderr.write('Slurm benchmarks skipped: SLURM_CONF is not set (scripts/dev-slurm.sh start prints the line to export)\n');
    return [];
  }
  const visits = options.visits ?? 10;
  const detectors = options.detectors ?? 100;
  const pollSeconds = options.pollSeconds ?? 2;
  const savedLevel = process.env['BPS_LOG_LEVEL'];
  // Jobs inherit the environment through sbatch: no info lines, so no log noise per job.
  process.env['BPS_LOG_LEVEL'] = 'warn';
  try {
    const note = (r: SlurmRun): string => `${r.jobs} jobs, ${r.sbatchCalls} sbatch calls; submit ${r.submitSeconds.toFixed(1)} s, driver CPU ${r.driverCpuSeconds.toFixed(1)} s, poll ${pollSeconds} s${r.failed > 0 ? `; ${r.failed} JOBS FAILED` : ''}`;
    const single = await runNoOpGraph({ visits, detectors, clusterByVisit: false, arrays: false, pollSeconds });
    const byVisit = await runNoOpGraph({ visits, detectors, clusterByVisit: true, arrays: false, pollSeconds });
    const results: BenchResult[] = [
      { name: `slurm site: submit ${single.jobs} single-quantum jobs`, backend: 'slurm', value: single.sbatchCalls / single.submitSeconds, unit: 'sbatch/s', target: 100, lowerIsBetter: false, note: `${note(single)}; Slurm sustains ~500/s at best` },
      { name: `slurm site: ${single.quanta} quanta as ${single.jobs} jobs, submit to all done`, backend: 'slurm', value: single.doneSeconds, unit: 's', lowerIsBetter: true, note: note(single) },
      { name: `slurm site: same graph clustered by visit (${byVisit.jobs} jobs), submit to all done`, backend: 'slurm', value: byVisit.doneSeconds, unit: 's', lowerIsBetter: true, note: note(byVisit) },
    ];
    if (options.arrays === true) {
      const arrays = await runNoOpGraph({ visits, detectors, clusterByVisit: false, arrays: true, pollSeconds });
      results.push({ name: `slurm site: ${arrays.jobs} single-quantum jobs as arrays, submit to all done`, backend: 'slurm', value: arrays.doneSeconds, unit: 's', lowerIsBetter: true, note: note(arrays) });
    }
    return results;
  } finally {
    if (savedLevel === undefined) delete process.env['BPS_LOG_LEVEL'];
    else process.env['BPS_LOG_LEVEL'] = savedLevel;
  }
}
