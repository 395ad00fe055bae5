import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getSitePlugin, type SubmitOptions } from '../sites/index.js';
import { prepareNoOpRun } from './noop-run.js';
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
    const run = await prepareNoOpRun({
      dir, visits: options.visits, detectors: options.detectors, site: 'slurm', name: `bench_slurm_${options.clusterByVisit ? 'visit' : 'single'}`,
      configLines: [
        'requestMemory: 256',
        ...(options.clusterByVisit ? ['cluster: {byVisit: {pipetasks: noop, dimensions: visit}}'] : []),
        `site: {slurm: {submissionsPerSecond: 0, pollSeconds: ${options.pollSeconds}, useJobArrays: ${options.arrays}}}`,
      ],
    });
    const { graph, workflow, prepared, store, log } = run;
    try {
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
