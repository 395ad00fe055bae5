import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPilotState } from '../sites/index.js';
import { prepareNoOpRun } from './noop-run.js';
import type { BenchResult } from './measure.js';

/** What one site run of no-op quanta took. */
interface SiteRun {
  readonly quanta: number;
  readonly jobs: number;
  readonly failed: number;
  /** From the site's submit to its end, s. */
  readonly seconds: number;
  /** From the first job's start to the last job's end, s (no batch-queue wait). */
  readonly busySeconds: number;
  /** CPU time of this process (the driver) during the run, s. */
  readonly driverCpuSeconds: number;
  /** CPU time of the pilot workers, as they reported it, s. */
  readonly workerCpuSeconds: number;
}

/**
 * Runs `quanta` no-op quanta, one per job, through a site (`pilot` or `slurm`) as `bps-ts
 * submit` would: graph, single-quantum clustering, transform, prepare, then the site's submit
 * (and `follow` for a site that runs outside the driver), recording into a real run-state store.
 */
async function runNoOpQuanta(options: { site: 'pilot' | 'slurm'; quanta: number; siteSettings: string[] }): Promise<SiteRun> {
  const dir = mkdtempSync(join(tmpdir(), `bps-bench-${options.site}-`));
  try {
    const siteLines = ['site:', `  ${options.site}:`, ...options.siteSettings.map((s) => `    ${s}`)];
    const { graph, workflow, site, prepared, store, log } = await prepareNoOpRun({
      dir, visits: Math.ceil(options.quanta / 500), detectors: Math.min(500, options.quanta), site: options.site, name: `bench_${options.site}`, configLines: ['requestMemory: 256', ...siteLines],
    });
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    const submitOptions = { workflow, prepared, recorder: store, log };
    const result = await site.submit(submitOptions);
    if (!result.finished && site.follow) await site.follow(submitOptions, result.siteRunId);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const attempts = store.attempts();
    const failed = store.jobs().filter((j) => j.state !== 'succeeded').length;
    store.close();
    const workerCpuSeconds = (readPilotState(workflow.submitPath)?.workers ?? []).reduce((sum, w) => sum + w.cpuSeconds, 0);
    const first = Math.min(...attempts.map((a) => a.startedAt));
    const last = Math.max(...attempts.map((a) => a.endedAt ?? a.startedAt));
    return { quanta: graph.quanta.length, jobs: workflow.jobs.length, failed, seconds, busySeconds: (last - first) / 1000, driverCpuSeconds: (cpu.user + cpu.system) / 1e6, workerCpuSeconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Pilot site against one-batch-job-per-quantum Slurm, on a real cluster (`SLURM_CONF`):
 * 10,000 no-op quanta as single-quantum jobs through ONE block of 2 cores (one worker running
 * `qg run-qbb` in two job threads), then 200 quanta through the Slurm site. Skipped, with a
 * message on stderr, when SLURM_CONF is not set.
 */
export async function benchPilot(options: { pilotQuanta?: number; slurmQuanta?: number; workersPerNode?: number } = {}): Promise<BenchResult[]> {
  if (!process.env['SLURM_CONF']) {
    process.stderr.write('pilot benchmarks skipped: SLURM_CONF is not set (scripts/dev-slurm.sh start prints the line to export)\n');
    return [];
  }
  const savedLevel = process.env['BPS_LOG_LEVEL'];
  // The workers inherit the environment through sbatch: no info line, so no log file per job.
  process.env['BPS_LOG_LEVEL'] = 'warn';
  try {
    const pilot = await runNoOpQuanta({
      site: 'pilot', quanta: options.pilotQuanta ?? 10_000,
      siteSettings: ['nodesPerBlock: 1', 'coresPerNode: 2', `workersPerNode: ${options.workersPerNode ?? 1}`, 'memoryPerNode: 4096', 'maxBlocks: 1', 'prefetch: 16', 'heartbeatSeconds: 1', 'pollSeconds: 2', 'blockWalltime: "00:30:00"'],
    });
    const slurm = await runNoOpQuanta({ site: 'slurm', quanta: options.slurmQuanta ?? 200, siteSettings: ['submissionsPerSecond: 0', 'pollSeconds: 1'] });
    const cpu = (r: SiteRun): string => `CPU per quantum: driver ${((1000 * r.driverCpuSeconds) / r.quanta).toFixed(2)} ms${r.workerCpuSeconds > 0 ? `, workers ${((1000 * r.workerCpuSeconds) / r.quanta).toFixed(2)} ms` : ''}`;
    const note = (r: SiteRun, what: string): string => `${r.jobs} jobs, ${what}; ${r.seconds.toFixed(1)} s from submit; ${cpu(r)}${r.failed > 0 ? `; ${r.failed} JOBS FAILED` : ''}`;
    return [
      { name: `pilot site: ${pilot.quanta} no-op quanta, 1 job each, one 2-core block`, backend: 'slurm', value: pilot.quanta / pilot.busySeconds, unit: 'quanta/s', target: 1000, lowerIsBetter: false, note: note(pilot, 'first job start to last job end') },
      { name: 'pilot site: same, including block start', backend: 'slurm', value: pilot.quanta / pilot.seconds, unit: 'quanta/s', lowerIsBetter: false, note: 'Parsl HTEX: about 1,200 tasks/s at best' },
      { name: `slurm site: ${slurm.quanta} no-op quanta, 1 batch job each`, backend: 'slurm', value: slurm.quanta / slurm.seconds, unit: 'quanta/s', lowerIsBetter: false, note: note(slurm, 'submit to last job end') },
    ];
  } finally {
    if (savedLevel === undefined) delete process.env['BPS_LOG_LEVEL'];
    else process.env['BPS_LOG_LEVEL'] = savedLevel;
  }
}
