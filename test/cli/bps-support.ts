import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { Butler } from '../../src/butler/index.js';
import { FileDatastore } from '../../src/datastore/index.js';
import { readQuantumRecords, type ProvenanceRecord } from '../../src/exec/index.js';
import { projectRoot, runBin, type CliResult } from '../support/cli.js';

/** A work directory with the demo repository (`repo`) and its own bps-ts home. */
export interface DemoWork {
  readonly dir: string;
  readonly repo: string;
  readonly env: Record<string, string>;
}

/** Makes the demo data and repository in a fresh directory. */
export async function setupDemoWork(): Promise<DemoWork> {
  const dir = mkdtempSync(join(tmpdir(), 'bps-cli-'));
  const repo = join(dir, 'repo');
  for (const args of [['make-demo-data', join(dir, 'data')], ['create', repo], ['setup-demo', repo, join(dir, 'data')]]) {
    const r = await runBin('butler-ts', args, { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
  }
  return { dir, repo, env: { BPS_TS_HOME: join(dir, 'home'), USER: 'tester' } };
}

/** Runs `bps-ts` in the work directory. */
export function bps(work: DemoWork, args: readonly string[]): Promise<CliResult> {
  return runBin('bps-ts', args, { cwd: work.dir, env: work.env });
}

/** The submit options pointing a shipped bps config at the work directory's repository. */
export function demoArgs(work: DemoWork, config: 'demo-local' | 'demo-clustered'): string[] {
  return [join(projectRoot, `bps-configs/${config}.yaml`), '-b', work.repo, '-p', join(projectRoot, 'pipelines/demo/DRP-demo.yaml')];
}

/** The run id printed by `submit`. */
export function runIdOf(stdout: string): string {
  const m = /Run Id: (\S+)/.exec(stdout);
  if (!m) throw new Error(`no run id in: ${stdout}`);
  return m[1]!;
}

/** Every quantum's latest provenance record of a run (from the run's journals), by quantum id. */
export function readProvenanceFiles(repo: string, run: string): Map<string, ProvenanceRecord> {
  return readQuantumRecords(new FileDatastore({ root: repo }), run);
}

/** Checks the registry holds each quantum once and every dataset its records generated, once. */
export async function expectRegistryComplete(repo: string, run: string, records: ReadonlyMap<string, ProvenanceRecord>): Promise<void> {
  const butler = await Butler.open(repo);
  try {
    const provenance = await butler.registry.queryProvenance({ run });
    expect(new Set(provenance.map((p) => p.quantumId)).size).toBe(provenance.length);
    expect(provenance.filter((p) => p.status === 'succeeded')).toHaveLength(records.size);
    const datasets = await butler.registry.queryDatasets({ datasetTypes: await butler.registry.queryDatasetTypes(), collections: [run] });
    const ids = datasets.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    const present = new Set(ids);
    const generated = [...records.values()].flatMap((r) => r.generated.map((g) => g.datasetId));
    expect(generated.filter((id) => !present.has(id))).toEqual([]);
  } finally {
    await butler.close();
  }
}

/**
 * Restarts a demo run whose processCcd quanta were made to fail, with the failure injection
 * removed: the run completes (88 quanta, status 0, registry complete) and the `succeeded`
 * quanta that had succeeded before keep their provenance start times (not run again).
 */
export async function expectRestartCompletes(work: DemoWork, o: { id: string; run: string; succeeded: number }): Promise<void> {
  const before = readProvenanceFiles(work.repo, o.run);
  const succeededBefore = [...before.values()].filter((r) => r.status === 'succeeded');
  expect(succeededBefore.length).toBe(o.succeeded);

  const restarted = await bps(work, ['restart', '--id', o.id, '-c', 'processCcd:injectFailure=']);
  expect(restarted.exitCode, restarted.stderr).toBe(0);
  const after = readProvenanceFiles(work.repo, o.run);
  expect(after.size).toBe(88);
  expect([...after.values()].every((r) => r.status === 'succeeded')).toBe(true);
  for (const r of succeededBefore) expect(after.get(r.quantumId)?.startTime).toBe(r.startTime);
  expect((await bps(work, ['status', '--id', o.id])).exitCode).toBe(0);
  expect((await bps(work, ['report', '--id', o.id])).stdout).toMatch(/TOTAL\s+88\s+0\s+0\s+0\s+0\s+88/);
  await expectRegistryComplete(work.repo, o.run, after);
}
