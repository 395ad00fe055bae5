import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../support/cli.js';
import { fakeBin } from '../sites/htcondor/htcondor-test-support.js';
import { bps, demoArgs, runIdOf, setupDemoWork, type DemoWork } from './bps-support.js';

interface ReportJson {
  status: { state: string };
  run: { outputRun: string; siteType: string };
  quanta: { label: string; counts: Record<string, number>; expected: number }[];
}

// CONTRACT TEST: the condor_* commands are the test-only fakes of test/fixtures/htcondor/fake-bin,
// not HTCondor. It checks that bps-ts drives and follows a DAG through that command contract.
describe('bps-ts submit --compute-site htcondor (contract test against the fake condor_* tools)', () => {
  let work: DemoWork;
  let env: Record<string, string>;
  const stateDir = mkdtempSync(join(tmpdir(), 'bps-fake-schedd-cli-'));
  beforeAll(async () => {
    for (const tool of ['condor_submit_dag', 'condor_q', 'condor_history', 'condor_rm']) chmodSync(join(fakeBin, tool), 0o755);
    work = await setupDemoWork();
    env = { ...work.env, PATH: `${fakeBin}:${process.env['PATH'] ?? ''}`, FAKE_CONDOR_STATE_DIR: stateDir };
  }, 120_000);
  afterAll(() => {
    rmSync(work.dir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('runs the clustered demo as a DAG, follows it to the end and fills the registry as a local run does', async () => {
    const run = (args: readonly string[]): ReturnType<typeof runBin> => runBin('bps-ts', args, { cwd: work.dir, env });
    const submitted = await run(['submit', ...demoArgs(work, 'demo-clustered'), '--compute-site', 'htcondor']);
    expect(submitted.exitCode, submitted.stderr).toBe(0);
    const id = runIdOf(submitted.stdout);

    const reported = await run(['report', '--id', id, '--json']);
    expect(reported.exitCode, reported.stderr).toBe(0);
    const report = JSON.parse(reported.stdout) as ReportJson;
    expect(report.run.siteType).toBe('htcondor');
    expect(report.status.state).toBe('succeeded');
    const total = report.quanta.find((q) => q.label === 'TOTAL');
    expect(total).toMatchObject({ expected: 88 });
    expect(total?.counts['succeeded']).toBe(88);

    const listed = await runBin('butler-ts', ['query-datasets', work.repo, 'deepCoadd_calexp', '--collections', report.run.outputRun, '--json'], { cwd: work.dir });
    expect(listed.exitCode, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout) as unknown[]).toHaveLength(8);
  }, 300_000);
});
