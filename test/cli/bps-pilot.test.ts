import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RunStateStore, type AttemptRow } from '../../src/bps/index.js';
import { Butler } from '../../src/butler/index.js';
import type { PilotStateDoc } from '../../src/sites/pilot/index.js';
import { projectRoot } from '../support/cli.js';
import { describeSlurm } from '../sites/slurm/slurm-cluster.js';
import { bps, demoArgs, runIdOf, setupDemoWork, type DemoWork } from './bps-support.js';

interface ReportJson {
  status: { state: string };
  run: { outputRun: string; siteType: string; submitPath: string };
  quanta: { label: string; counts: Record<string, number>; expected: number }[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `bps-ts submit` of the demo on the pilot site (88 single-quantum jobs). */
function pilotArgs(work: DemoWork, outputRun: string): string[] {
  return [join(projectRoot, 'bps-configs/demo-pilot.yaml'), '-b', work.repo, '-p', join(projectRoot, 'pipelines/demo/DRP-demo.yaml'), '--output-run', outputRun];
}

/** Every dataset of a run as `type|dataId`, sorted: what two runs of the same graph must share. */
async function datasetKeys(repo: string, run: string): Promise<string[]> {
  const butler = await Butler.open(repo);
  try {
    const datasets = await butler.registry.queryDatasets({ datasetTypes: await butler.registry.queryDatasetTypes(), collections: [run] });
    return datasets.map((d) => `${d.datasetType}|${JSON.stringify(Object.entries(d.dataId).sort())}`).sort();
  } finally {
    await butler.close();
  }
}

async function reportOf(work: DemoWork, id: string): Promise<ReportJson> {
  const r = await bps(work, ['report', '--id', id, '--json']);
  expect(r.exitCode, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as ReportJson;
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await fn();
    if (value !== undefined) return value;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function readAttempts(submitPath: string): AttemptRow[] {
  const store = RunStateStore.open(join(submitPath, 'run-state.sqlite3'), { readonly: true });
  try {
    return store.attempts();
  } finally {
    store.close();
  }
}

async function statusExit(work: DemoWork, id: string): Promise<number> {
  return (await bps(work, ['status', '--id', id])).exitCode;
}

describeSlurm('bps-ts submit on the pilot site (dev Slurm cluster)', () => {
  let work: DemoWork;
  let localKeys: string[];
  beforeAll(async () => {
    work = await setupDemoWork();
    const local = await bps(work, ['submit', ...demoArgs(work, 'demo-local'), '--output-run', 'u/tester/local']);
    expect(local.exitCode, local.stderr).toBe(0);
    localKeys = await datasetKeys(work.repo, 'u/tester/local');
  }, 240_000);
  afterAll(() => rmSync(work.dir, { recursive: true, force: true }));

  it('runs the demo through one block and fills the registry exactly as a local run does, with blocks and workers in the report', async () => {
    const submitted = await bps(work, ['submit', ...pilotArgs(work, 'u/tester/pilot')]);
    expect(submitted.exitCode, submitted.stderr).toBe(0);
    const id = runIdOf(submitted.stdout);
    const report = await reportOf(work, id);
    expect(report.run.siteType).toBe('pilot');
    expect(report.status.state).toBe('succeeded');
    expect(report.quanta.find((q) => q.label === 'TOTAL')).toMatchObject({ expected: 88, counts: { succeeded: 88 } });
    const keys = await datasetKeys(work.repo, 'u/tester/pilot');
    expect(keys.length).toBeGreaterThan(88);
    expect(keys).toEqual(localKeys);
    const text = await bps(work, ['report', '--id', id]);
    expect(text.stdout).toMatch(/Pilot blocks[\s\S]*b1 +\d+ +ended +COMPLETED/);
    expect(text.stdout).toMatch(/Pilot workers[\s\S]*b1\.\S+ +b1 /);
  }, 300_000);

  it('requeues the job of a worker killed mid-job, starts a new block and completes the run', async () => {
    const submitted = await bps(work, ['submit', ...pilotArgs(work, 'u/tester/pilot-killed-worker'), '--detach', '--json']);
    expect(submitted.exitCode, submitted.stderr).toBe(0);
    const { runId } = JSON.parse(submitted.stdout) as { runId: string };
    const submitPath = (await reportOf(work, runId)).run.submitPath;
    // A payload job running on a worker (its pid is the attempt's): kill that worker.
    const victim = await waitFor('a payload job to run on a worker', () => readAttempts(submitPath).find((a) => a.state === 'running' && a.pid !== null && a.job !== 'pipetaskInit' && a.siteJobId !== null), 120_000);
    process.kill(victim.pid!, 'SIGKILL');
    await waitFor('the run to end', async () => ((await statusExit(work, runId)) === 20 ? undefined : true), 240_000);
    expect(await statusExit(work, runId)).toBe(0);
    const attempts = readAttempts(submitPath).filter((a) => a.job === victim.job);
    expect(attempts.find((a) => a.number === victim.number)).toMatchObject({ state: 'lost' });
    expect(attempts.at(-1)).toMatchObject({ state: 'succeeded' });
    expect(attempts.at(-1)!.number).toBeGreaterThan(victim.number);
    const state = JSON.parse(readFileSync(join(submitPath, 'pilot/pilot-state.json'), 'utf8')) as PilotStateDoc;
    expect(state.workers.find((w) => w.pid === victim.pid)).toMatchObject({ state: 'lost' });
    expect(state.blocks.length).toBeGreaterThanOrEqual(2);
    expect((await datasetKeys(work.repo, 'u/tester/pilot-killed-worker'))).toEqual(localKeys);
  }, 300_000);

  it('restarts after the coordinator is killed: live blocks are adopted and finished jobs are not run again', async () => {
    const driver = execa('node', [`${projectRoot}dist/cli/bps-ts.js`, 'submit', ...pilotArgs(work, 'u/tester/pilot-restarted')], { cwd: work.dir, env: { ...work.env, BPS_LOG_LEVEL: 'warn' }, reject: false });
    const runId = await waitFor('the run to appear', async () => {
      const r = await bps(work, ['report', '--json']);
      return (JSON.parse(r.stdout || '[]') as { id: string; run: string }[]).find((x) => x.run === 'u/tester/pilot-restarted')?.id;
    }, 60_000);
    const submitPath = (await reportOf(work, runId)).run.submitPath;
    await waitFor('twenty jobs to succeed', () => (readAttempts(submitPath).filter((a) => a.state === 'succeeded').length >= 20 ? true : undefined), 180_000);
    driver.kill('SIGKILL');
    await driver;
    const doneBefore = new Set(readAttempts(submitPath).filter((a) => a.state === 'succeeded').map((a) => a.job));

    const interrupted = await reportOf(work, runId);
    expect(interrupted.status.state).toBe('interrupted');
    const restarted = await bps(work, ['restart', '--id', runId]);
    expect(restarted.exitCode, restarted.stderr).toBe(0);
    expect(await statusExit(work, runId)).toBe(0);
    const attempts = readAttempts(submitPath);
    const rerun = attempts.filter((a) => a.submission === 2 && doneBefore.has(a.job) && a.job !== 'finalJob');
    expect(rerun).toEqual([]);
    expect(attempts.filter((a) => a.submission === 2).length).toBeGreaterThan(0);
    const state = JSON.parse(readFileSync(join(submitPath, 'pilot/pilot-state.json'), 'utf8')) as PilotStateDoc;
    // The block of the killed coordinator kept its worker, which found the new coordinator.
    expect(state.blocks).toHaveLength(1);
    expect(new Set(attempts.filter((a) => a.submission === 2).map((a) => a.siteJobId))).toEqual(new Set([state.blocks[0]!.slurmJobId]));
    expect((await datasetKeys(work.repo, 'u/tester/pilot-restarted'))).toEqual(localKeys);
  }, 400_000);
});
