import { rmSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runBin } from '../support/cli.js';
import { describeSlurm } from '../sites/slurm/slurm-cluster.js';
import { bps, demoArgs, runIdOf, setupDemoWork, type DemoWork } from './bps-support.js';

interface ReportJson {
  status: { state: string };
  run: { outputRun: string; siteType: string };
  quanta: { label: string; counts: Record<string, number>; expected: number }[];
}

describeSlurm('bps-ts submit --compute-site slurm on the dev cluster', () => {
  let work: DemoWork;
  beforeAll(async () => {
    work = await setupDemoWork();
  }, 120_000);
  afterAll(() => rmSync(work.dir, { recursive: true, force: true }));

  it('runs the clustered demo as Slurm batch jobs, follows them to the end and fills the registry as a local run does', async () => {
    const submitted = await bps(work, ['submit', ...demoArgs(work, 'demo-clustered'), '--compute-site', 'slurm', '-c', 'pollSeconds=1']);
    expect(submitted.exitCode, submitted.stderr).toBe(0);
    const id = runIdOf(submitted.stdout);

    const reported = await bps(work, ['report', '--id', id, '--json']);
    expect(reported.exitCode, reported.stderr).toBe(0);
    const report = JSON.parse(reported.stdout) as ReportJson;
    expect(report.run.siteType).toBe('slurm');
    expect(report.status.state).toBe('succeeded');
    const total = report.quanta.find((q) => q.label === 'TOTAL');
    expect(total).toMatchObject({ expected: 88 });
    expect(total?.counts['succeeded']).toBe(88);
    expect((await bps(work, ['status', '--id', id])).exitCode).toBe(0);

    // The local run of the same demo (test/exec/qg-run.test.ts) makes 8 coadds: one per patch and band.
    const listed = await runBin('butler-ts', ['query-datasets', work.repo, 'deepCoadd_calexp', '--collections', report.run.outputRun, '--json'], { cwd: work.dir });
    expect(listed.exitCode, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout) as unknown[]).toHaveLength(8);
  }, 300_000);

  it('follows the Slurm jobs from a detached driver while status is polled, to a succeeded run', async () => {
    const submitted = await bps(work, ['submit', ...demoArgs(work, 'demo-clustered'), '--compute-site', 'slurm', '-c', 'pollSeconds=1', '--output-run', 'u/tester/slurm-detached', '--detach', '--json']);
    expect(submitted.exitCode, submitted.stderr).toBe(0);
    const { runId, detachedDriver } = JSON.parse(submitted.stdout) as { runId: string; detachedDriver: { pid: number } };
    expect(detachedDriver.pid).toBeGreaterThan(0);
    const deadline = Date.now() + 200_000;
    let status = await bps(work, ['status', '--id', runId, '--json']);
    while (status.exitCode === 20 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      status = await bps(work, ['status', '--id', runId, '--json']);
    }
    expect(status.exitCode, status.stdout + status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ state: 'succeeded' });
    const report = JSON.parse((await bps(work, ['report', '--id', runId, '--json'])).stdout) as ReportJson;
    expect(report.quanta.find((q) => q.label === 'TOTAL')?.counts['succeeded']).toBe(88);
    expect(report.run.outputRun).toBe('u/tester/slurm-detached');
  }, 300_000);
});
