import { rmSync } from 'node:fs';
import { execa } from 'execa';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { queryJobs, readLedger, slurmRunComment } from '../../src/sites/slurm/index.js';
import { projectRoot } from '../support/cli.js';
import { describeSlurm } from '../sites/slurm/slurm-cluster.js';
import { bps, demoArgs, expectRegistryComplete, expectRestartCompletes, readProvenanceFiles, runIdOf, setupDemoWork, type DemoWork } from './bps-support.js';

const ACTIVE = new Set(['PENDING', 'CONFIGURING', 'RUNNING', 'COMPLETING', 'SUSPENDED']);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await fn();
    if (value !== undefined) return value;
    await sleep(300);
  }
  throw new Error(`timed out waiting for ${what}`);
}

interface FailedReport {
  quanta: { label: string; dataId: Record<string, unknown>; attempt: number; exitCode: number; blocked: { label: string }[] }[];
}
interface ReportJson {
  status: { state: string };
  run: { outputRun: string };
  quanta: { label: string; counts: Record<string, number>; expected: number }[];
}

describeSlurm('bps-ts restart of a Slurm run on the dev cluster', () => {
  let work: DemoWork;
  beforeAll(async () => {
    work = await setupDemoWork();
  }, 120_000);
  afterAll(() => rmSync(work.dir, { recursive: true, force: true }));

  it('reports an injected failure with its blocked descendants out of the queue, then restarts to completion without rerunning succeeded quanta', async () => {
    const submitted = await bps(work, ['submit', ...demoArgs(work, 'demo-clustered'), '--compute-site', 'slurm', '-c', 'pollSeconds=1', '-c', "extraQgraphOptions=-c processCcd:injectFailure='visit=100 detector=1'"]);
    expect(submitted.exitCode, submitted.stderr).toBe(9);
    const id = runIdOf(submitted.stdout);

    const failed = JSON.parse((await bps(work, ['report', '--id', id, '--failed', '--json'])).stdout) as FailedReport;
    expect(failed.quanta).toHaveLength(1);
    const [f] = failed.quanta;
    // run-qbb exits 9 for a failed quantum; 9 is in the default retryUnlessExit, so no retry.
    expect(f).toMatchObject({ label: 'processCcd', dataId: { visit: 100, detector: 1 }, attempt: 1, exitCode: 9 });
    const report = JSON.parse((await bps(work, ['report', '--id', id, '--json'])).stdout) as ReportJson;
    expect(report.status.state).toBe('failed');
    const total = report.quanta.find((q) => q.label === 'TOTAL')!;
    expect(total).toMatchObject({ expected: 88 });
    expect(total.counts['blocked']).toBeGreaterThan(0);
    expect(f!.blocked).toHaveLength(total.counts['blocked']!);
    expect((await bps(work, ['status', '--id', id])).exitCode).toBe(21);

    // Nothing of the run waits in Slurm: the blocked jobs were cancelled, not left pending forever.
    const rows = await queryJobs({ comment: slurmRunComment(id) });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => ACTIVE.has(r.state))).toEqual([]);
    expect(rows.some((r) => r.state === 'CANCELLED' && r.reason.startsWith('Dependency'))).toBe(true);

    const run = report.run.outputRun;
    await expectRestartCompletes(work, { id, run, succeeded: total.counts['succeeded']! });
    expect((await queryJobs({ comment: slurmRunComment(id) })).filter((r) => ACTIVE.has(r.state))).toEqual([]);
  }, 400_000);

  it('restarts a run whose driver was killed by adopting its Slurm jobs: none is submitted twice', async () => {
    const outputRun = 'u/tester/slurm-killed';
    const driver = execa('node', [`${projectRoot}dist/cli/bps-ts.js`, 'submit', ...demoArgs(work, 'demo-clustered'), '--compute-site', 'slurm', '-c', 'pollSeconds=1', '--output-run', outputRun], { cwd: work.dir, env: { ...work.env, BPS_LOG_LEVEL: 'warn' }, reject: false });
    const id = await waitFor('the run to appear', async () => {
      const r = await bps(work, ['report', '--json']);
      return (JSON.parse(r.stdout || '[]') as { id: string; outputRun?: string }[]).find((x) => x.id.includes('slurm-killed'))?.id;
    }, 60_000);
    await waitFor('a job to succeed', async () => {
      const r = await bps(work, ['status', '--id', id, '--json']);
      return (JSON.parse(r.stdout) as { jobs: Record<string, number> }).jobs['succeeded']! >= 1 ? true : undefined;
    }, 120_000);
    driver.kill('SIGKILL');
    await driver;
    const report = JSON.parse((await bps(work, ['report', '--id', id, '--json'])).stdout) as ReportJson & { run: { submitPath: string }; status: { driverAlive: boolean } };
    expect(report.status.driverAlive).toBe(false);
    const queued = (await queryJobs({ comment: slurmRunComment(id) })).filter((r) => ACTIVE.has(r.state));
    expect(queued.length).toBeGreaterThan(0);

    const restarted = await bps(work, ['restart', '--id', id]);
    expect(restarted.exitCode, restarted.stderr).toBe(0);
    const status = await bps(work, ['status', '--id', id, '--json']);
    expect(status.exitCode).toBe(0);
    const jobs = Object.values((JSON.parse(status.stdout) as { jobs: Record<string, number> }).jobs).reduce((a, b) => a + b, 0);
    const records = readProvenanceFiles(work.repo, outputRun);
    expect(records.size).toBe(88);
    await expectRegistryComplete(work.repo, outputRun, records);
    // Every job went to sbatch exactly once: the restart followed what the killed driver had submitted.
    const ledger = readLedger(report.run.submitPath);
    const perJob = new Map<string, number>();
    for (const e of ledger) perJob.set(e.job, (perJob.get(e.job) ?? 0) + 1);
    expect(perJob.size).toBe(jobs);
    expect([...perJob.values()].every((n) => n === 1)).toBe(true);
  }, 400_000);

  it('cancels a detached Slurm run: no job of it is left in the queue', async () => {
    const submitted = await bps(work, ['submit', ...demoArgs(work, 'demo-clustered'), '--compute-site', 'slurm', '-c', 'pollSeconds=1', '--output-run', 'u/tester/slurm-cancel', '--detach', '--json']);
    expect(submitted.exitCode, submitted.stderr).toBe(0);
    const { runId } = JSON.parse(submitted.stdout) as { runId: string };
    await waitFor('a Slurm job of the run to run', async () => ((await queryJobs({ comment: slurmRunComment(runId) })).some((r) => r.state === 'RUNNING') ? true : undefined), 120_000);
    const cancelled = await bps(work, ['cancel', '--id', runId, '--json']);
    expect(cancelled.exitCode, cancelled.stderr).toBe(0);
    expect(JSON.parse(cancelled.stdout)).toMatchObject({ state: 'cancelled' });
    const rows = await waitFor('the queue to drain', async () => {
      const r = await queryJobs({ comment: slurmRunComment(runId) });
      return r.some((x) => ACTIVE.has(x.state)) ? undefined : r;
    }, 30_000);
    expect(rows.some((r) => r.state === 'CANCELLED')).toBe(true);
    const status = await bps(work, ['status', '--id', runId, '--json']);
    expect(status.exitCode).toBe(23);
    expect((JSON.parse(status.stdout) as { jobs: Record<string, number> }).jobs['running']).toBe(0);
  }, 200_000);
});
