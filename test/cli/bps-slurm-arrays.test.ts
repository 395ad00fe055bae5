import { rmSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { arrayIdOf, readLedger } from '../../src/sites/slurm/index.js';
import { runBin } from '../support/cli.js';
import { describeSlurm } from '../sites/slurm/slurm-cluster.js';
import { bps, demoArgs, expectRegistryComplete, readProvenanceFiles, runIdOf, setupDemoWork, type DemoWork } from './bps-support.js';

describeSlurm('bps-ts submit to Slurm with job arrays on the dev cluster', () => {
  let work: DemoWork;
  beforeAll(async () => {
    work = await setupDemoWork();
  }, 120_000);
  afterAll(() => rmSync(work.dir, { recursive: true, force: true }));

  it('runs the one-quantum-per-job demo with same-label jobs as arrays and fills the registry', async () => {
    const submitted = await bps(work, ['submit', ...demoArgs(work, 'demo-local'), '--compute-site', 'slurm', '-c', 'pollSeconds=1', '-c', 'useJobArrays=true']);
    expect(submitted.exitCode, submitted.stderr).toBe(0);
    const id = runIdOf(submitted.stdout);
    const report = JSON.parse((await bps(work, ['report', '--id', id, '--json'])).stdout) as { status: { state: string }; run: { outputRun: string; submitPath: string }; quanta: { label: string; counts: Record<string, number> }[] };
    expect(report.status.state).toBe('succeeded');
    expect(report.quanta.find((q) => q.label === 'TOTAL')?.counts['succeeded']).toBe(88);
    const ledger = readLedger(report.run.submitPath);
    const arrays = new Map<string, string[]>();
    for (const e of ledger) {
      const array = arrayIdOf(e.jobId);
      if (array !== undefined) arrays.set(array, [...(arrays.get(array) ?? []), e.job]);
    }
    // The 16 processCcd jobs share the init job as their only parent: one array of 16 tasks; the
    // warps of one visit share that visit's processCcd jobs: eight arrays of 4.
    const shapes = [...arrays.values()].map((jobs) => [jobs.length, new Set(jobs.map((j) => j.replace(/^\d+_([A-Za-z]+)_.*$/, '$1')))].map((x) => (x instanceof Set ? [...x].join() : x)));
    expect(shapes).toEqual([[16, 'processCcd'], ...Array(8).fill([4, 'makeCoaddTempExp'])]);
    expect(new Set(ledger.map((e) => e.jobId.split('_')[0])).size).toBeLessThan(ledger.length);
    const records = readProvenanceFiles(work.repo, report.run.outputRun);
    expect(records.size).toBe(88);
    await expectRegistryComplete(work.repo, report.run.outputRun, records);
    const coadds = await runBin('butler-ts', ['query-datasets', work.repo, 'deepCoadd_calexp', '--collections', report.run.outputRun, '--json'], { cwd: work.dir });
    expect(JSON.parse(coadds.stdout) as unknown[]).toHaveLength(8);
  }, 400_000);
});
