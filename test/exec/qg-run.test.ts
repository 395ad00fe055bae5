import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Butler } from '../../src/butler/index.js';
import { readFits } from '../../src/fits/index.js';
import { runBin } from '../support/cli.js';
import { DESDM_COUNTS, makeDemoRepo } from './demo-repo.js';

interface RunJson {
  perTask: Record<string, { succeeded: number; failed: number; blocked: number; notRun: number }>;
  problems: { taskLabel: string; dataId: Record<string, unknown>; status: string; error: string; logPath: string | null; blockedBy?: number }[];
  outputRun: string;
}

describe('qg run on the demo data', () => {
  let repo: string;
  let dir: string;
  beforeAll(async () => {
    ({ repo, dir } = await makeDemoRepo());
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the HSC chain end to end with the DESDM quantum counts and FITS coadds in the registry', async () => {
    const run = await runBin('qg', ['run', '-b', repo, '-p', 'pipelines/demo/DRP-demo.yaml', '-i', 'DemoCam/defaults', '-o', 'u/demo', '-j', '2', '--json']);
    expect(run.exitCode, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as RunJson;
    expect(Object.fromEntries(Object.entries(result.perTask).map(([k, v]) => [k, v.succeeded]))).toEqual(DESDM_COUNTS);
    expect(result.problems).toEqual([]);
    const listed = await runBin('butler-ts', ['query-datasets', repo, 'deepCoadd_calexp', '--collections', 'u/demo', '--show-uri', '--json']);
    const coadds = JSON.parse(listed.stdout) as { uri: string; dataId: Record<string, unknown> }[];
    expect(coadds).toHaveLength(8);
    for (const c of coadds) {
      const [primary] = await readFits(c.uri);
      expect(primary?.header.get('NAXIS')).toBe(2);
      expect(primary?.image?.width).toBeGreaterThan(100);
    }
    const prov = await runBin('butler-ts', ['provenance', repo, '--type', 'calexp', '--data-id', 'instrument=DemoCam,visit=100,detector=0', '--collections', 'u/demo']);
    expect(prov.stdout).toContain('task:     processCcd (lsst.pipe.tasks.processCcd.ProcessCcdTask), status succeeded');
    expect(prov.stdout).toMatch(/used 4 input\(s\):[\s\S]*raw \{instrument='DemoCam', detector=0, exposure=100\}/);
    expect(prov.stdout).toMatch(/Used by 4 quantum\(s\)/);
  }, 240_000);

  it('records a failing quantum as failed, its descendants as blocked, and exits non-zero', async () => {
    const run = await runBin('qg', ['run', '-b', repo, '-p', 'pipelines/demo/DRP-demo.yaml', '-i', 'DemoCam/defaults', '-o', 'u/fail', '-j', '2', '-c', 'processCcd:injectFailure=visit=101 detector=0', '--json']);
    expect(run.exitCode).toBe(9);
    const result = JSON.parse(run.stdout) as RunJson;
    const failed = result.problems.filter((p) => p.status === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.dataId).toMatchObject({ visit: 101, detector: 0 });
    expect(failed[0]?.error).toContain('failure injected');
    expect(existsSync(failed[0]?.logPath ?? '')).toBe(true);
    const blocked = result.problems.filter((p) => p.status === 'blocked');
    // visit 101's 4 warps, the 4 band-i coadds, and everything downstream of them (merging needs every band).
    const perLabel = Object.fromEntries(Object.keys(result.perTask).map((l) => [l, blocked.filter((b) => b.taskLabel === l).length]));
    expect(perLabel).toEqual({ processCcd: 0, makeCoaddTempExp: 4, assembleCoadd: 4, detectCoaddSources: 4, mergeCoaddDetections: 4, measureCoaddSources: 8, mergeCoaddMeasurements: 4, forcedPhotCoadd: 8 });
    const butler = await Butler.open(repo);
    try {
      const rows = await butler.registry.queryProvenance({ run: result.outputRun });
      const count = (s: string): number => rows.filter((r) => r.status === s).length;
      expect([count('succeeded'), count('failed'), count('blocked')]).toEqual([51, 1, 36]);
      expect(rows.find((r) => r.status === 'failed')?.error).toContain('injectFailure');
    } finally {
      await butler.close();
    }
  }, 240_000);

  it('survives SIGKILL half-way: the rerun re-executes nothing complete and leaves no partial file', async () => {
    const graph = join(dir, 'kill.qg');
    const args = ['run', '-b', repo, '-p', 'pipelines/demo/DRP-demo.yaml', '-i', 'DemoCam/defaults', '-o', 'u/kill', '--output-run', 'u/kill/run1', '--save-qgraph', graph, '-j', '2'];
    const { execa } = await import('execa');
    const child = execa('node', [join(process.cwd(), 'dist/cli/qg.js'), ...args], { detached: true, reject: false, env: { BPS_LOG_LEVEL: 'warn' } });
    const records = join(repo, 'u/kill/run1/_quanta');
    const journals = join(records, '_journal');
    const countRecords = (): number => (existsSync(journals) ? readdirSync(journals).reduce((n, f) => n + readFileSync(join(journals, f), 'utf8').split('\n').length - 1, 0) : 0);
    const deadline = Date.now() + 120_000;
    while (countRecords() < 12 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(child.exitCode, 'qg run ended before it could be killed').toBeNull();
    process.kill(-(child.pid as number), 'SIGKILL');
    await child;
    const butler = await Butler.open(repo);
    try {
      const before = new Map<string, number>();
      const { readQuantumRecords } = await import('../../src/exec/index.js');
      for (const r of readQuantumRecords(butler.datastore, 'u/kill/run1').values()) if (r.status === 'succeeded') before.set(r.quantumId, r.startTime);
      expect(before.size).toBeGreaterThanOrEqual(12);
      expect(before.size).toBeLessThan(88);
      const rerun = await runBin('qg', ['run', '-b', repo, '-g', graph, '-j', '2', '--json']);
      expect(rerun.exitCode, rerun.stderr).toBe(0);
      const result = JSON.parse(rerun.stdout) as RunJson;
      expect(Object.fromEntries(Object.entries(result.perTask).map(([k, v]) => [k, v.succeeded]))).toEqual(DESDM_COUNTS);
      const rows = await butler.registry.queryProvenance({ run: 'u/kill/run1' });
      expect(rows.filter((r) => r.status === 'succeeded')).toHaveLength(88);
      for (const r of rows) if (before.has(r.quantumId)) expect(r.startTime).toBe(before.get(r.quantumId));
      const temps = readdirSync(repo, { recursive: true }).map(String).filter((f) => /\.tmp-/.test(f));
      expect(temps).toEqual([]);
      const calexps = await butler.registry.queryDatasets({ datasetTypes: [await butler.registry.getDatasetType('calexp')], collections: ['u/kill/run1'] });
      expect(calexps).toHaveLength(16);
    } finally {
      await butler.close();
    }
  }, 300_000);
});
