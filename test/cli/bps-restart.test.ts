import { beforeAll, describe, expect, it } from 'vitest';
import { bps, demoArgs, expectRestartCompletes, runIdOf, setupDemoWork, type DemoWork } from './bps-support.js';

let work: DemoWork;
beforeAll(async () => {
  work = await setupDemoWork();
}, 60_000);

describe('bps-ts with an injected failure, then restart with the config fixed', () => {
  it('reports exactly the failed quantum and what it blocked, then restarts without rerunning succeeded quanta', async () => {
    const submitted = await bps(work, ['submit', ...demoArgs(work, 'demo-clustered'), '-c', "extraQgraphOptions=-c processCcd:injectFailure='visit=100 detector=1'"]);
    expect(submitted.exitCode, submitted.stderr).toBe(9);
    const id = runIdOf(submitted.stdout);

    const failed = await bps(work, ['report', '--id', id, '--failed', '--json']);
    expect(failed.exitCode, failed.stderr).toBe(0);
    const failures = JSON.parse(failed.stdout) as { quanta: { label: string; dataId: Record<string, unknown>; attempt: number; exitCode: number; host: string; errorLines: string[]; logPath: string; blocked: { label: string }[] }[]; jobs: unknown[] };
    expect(failures.quanta).toHaveLength(1);
    const [f] = failures.quanta;
    expect(f).toMatchObject({ label: 'processCcd', dataId: { visit: 100, detector: 1 }, attempt: 1, exitCode: 9 });
    expect(f!.errorLines.join('\n')).toContain('injectFailure');
    expect(f!.logPath).toMatch(/^\/.*\.log$/);
    expect(failures.jobs).toEqual([]);

    const details = JSON.parse((await bps(work, ['report', '--id', id, '--json'])).stdout) as { status: { state: string }; run: { outputRun: string }; quanta: { label: string; counts: Record<string, number>; expected: number }[]; errors: { payload: { count: number } } };
    expect(details.status.state).toBe('failed');
    const total = details.quanta[0]!;
    expect(total).toMatchObject({ label: 'TOTAL', expected: 88 });
    expect(total.counts['failed']).toBe(1);
    expect(f!.blocked).toHaveLength(total.counts['blocked']!);
    expect(f!.blocked.some((b) => b.label === 'processCcd')).toBe(false);
    expect(details.errors.payload.count).toBe(1);
    expect((await bps(work, ['status', '--id', id])).exitCode).toBe(21);

    const run = details.run.outputRun;
    await expectRestartCompletes(work, { id, run, succeeded: total.counts['succeeded']! });
  }, 120_000);
});
