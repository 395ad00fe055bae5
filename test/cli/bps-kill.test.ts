import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../support/cli.js';
import { bps, demoArgs, expectRegistryComplete, readProvenanceFiles, setupDemoWork, type DemoWork } from './bps-support.js';

let work: DemoWork;
beforeAll(async () => {
  work = await setupDemoWork();
}, 60_000);

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

async function activeRun(): Promise<string | undefined> {
  const r = await bps(work, ['report', '--json']);
  return (JSON.parse(r.stdout || '[]') as { id: string }[])[0]?.id;
}

async function statusOf(id: string): Promise<{ exitCode: number; jobs: Record<string, number>; state: string }> {
  const r = await bps(work, ['status', '--id', id, '--json']);
  const body = JSON.parse(r.stdout) as { jobs: Record<string, number>; state: string };
  return { exitCode: r.exitCode, ...body };
}

describe('bps-ts when the driver is killed', () => {
  it('still reports, and restart finishes the run with nothing lost or duplicated', async () => {
    const driver = execa('node', [`${projectRoot}dist/cli/bps-ts.js`, 'submit', ...demoArgs(work, 'demo-clustered')], { cwd: work.dir, env: { ...work.env, BPS_LOG_LEVEL: 'warn' }, reject: false });
    const id = await waitFor('the run to appear', activeRun, 30_000);
    await waitFor('three jobs to succeed', async () => ((await statusOf(id)).jobs['succeeded']! >= 3 ? true : undefined), 60_000);
    driver.kill('SIGKILL');
    await driver;

    const report = await bps(work, ['report', '--id', id, '--json']);
    expect(report.exitCode, report.stderr).toBe(0);
    const details = JSON.parse(report.stdout) as { status: { state: string; driverAlive: boolean }; run: { outputRun: string } };
    expect(details.status.driverAlive).toBe(false);
    expect(['interrupted', 'running']).toContain(details.status.state);

    const restarted = await bps(work, ['restart', '--id', id]);
    expect(restarted.exitCode, restarted.stderr).toBe(0);
    const status = await statusOf(id);
    expect(status).toMatchObject({ exitCode: 0, state: 'succeeded' });
    const records = readProvenanceFiles(work.repo, details.run.outputRun);
    expect(records.size).toBe(88);
    await expectRegistryComplete(work.repo, details.run.outputRun, records);
  }, 150_000);
});

describe('bps-ts submit --detach and cancel', () => {
  it('runs demo-local in the background to the end, with the per-label counts of the demo', async () => {
    const started = Date.now();
    const submitted = await bps(work, ['submit', ...demoArgs(work, 'demo-local'), '--detach', '--json']);
    expect(submitted.exitCode, submitted.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(60_000);
    const { runId, detachedDriver } = JSON.parse(submitted.stdout) as { runId: string; detachedDriver: { pid: number } };
    expect(detachedDriver.pid).toBeGreaterThan(0);
    expect([20, 0]).toContain((await statusOf(runId)).exitCode);
    const end = await waitFor('the detached run to end', async () => {
      const s = await statusOf(runId);
      return s.exitCode === 20 ? undefined : s;
    }, 200_000);
    expect(end).toMatchObject({ exitCode: 0, state: 'succeeded' });
    const details = JSON.parse((await bps(work, ['report', '--id', runId, '--json'])).stdout) as { quanta: { label: string; counts: { succeeded: number }; expected: number }[] };
    expect(Object.fromEntries(details.quanta.map((q) => [q.label, [q.counts.succeeded, q.expected]]))).toEqual({
      TOTAL: [88, 88], processCcd: [16, 16], makeCoaddTempExp: [32, 32], assembleCoadd: [8, 8], detectCoaddSources: [8, 8],
      mergeCoaddDetections: [4, 4], measureCoaddSources: [8, 8], mergeCoaddMeasurements: [4, 4], forcedPhotCoadd: [8, 8],
    });
  }, 240_000);

  it('cancels a running detached run: its jobs are deleted and status says cancelled', async () => {
    const submitted = await bps(work, ['submit', ...demoArgs(work, 'demo-clustered'), '--detach', '--json']);
    expect(submitted.exitCode, submitted.stderr).toBe(0);
    const { runId } = JSON.parse(submitted.stdout) as { runId: string };
    await waitFor('a job to run', async () => ((await statusOf(runId)).jobs['running']! >= 1 ? true : undefined), 60_000);
    const cancelled = await bps(work, ['cancel', '--id', runId, '--json']);
    expect(cancelled.exitCode, cancelled.stderr).toBe(0);
    expect(JSON.parse(cancelled.stdout)).toMatchObject({ state: 'cancelled' });
    const s = await statusOf(runId);
    expect(s).toMatchObject({ exitCode: 23, state: 'cancelled' });
    expect(s.jobs['running']).toBe(0);
    expect(s.jobs['deleted']).toBeGreaterThan(0);
  }, 120_000);
});
