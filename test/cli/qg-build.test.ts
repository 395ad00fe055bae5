import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors/index.js';
import { readQuantumGraph } from '../../src/graph/index.js';
import { DEMO_INPUTS, DEMO_PIPELINE, populateDemoRegistry } from '../graph/demo-registry.js';
import { backends } from '../support/backends.js';
import { makeButler } from '../support/butlers.js';
import { projectRoot, runBin } from '../support/cli.js';

beforeAll(async () => {
  if (!existsSync(join(projectRoot, 'dist/cli/qg.js'))) await execa('npm', ['run', 'build'], { cwd: projectRoot, reject: false });
}, 180_000);

describe.each(backends)('qg build and qg show ($name)', ({ make }) => {
  let repo: string;
  let dir: string;
  let dispose: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const made = await makeButler(make);
    repo = made.repo;
    dir = made.dir;
    dispose = made.dispose;
    await populateDemoRegistry(made.butler.registry);
    await made.butler.registry.registerRun('u/demo/taken');
  });
  afterAll(async () => dispose?.());

  const build = (args: string[], env: Record<string, string> = {}): ReturnType<typeof runBin> =>
    runBin('qg', ['build', '-p', DEMO_PIPELINE, '-i', DEMO_INPUTS.join(','), ...args], { env: { BPS_LOG_LEVEL: 'info', ...env } });

  it('builds the demo graph, logs one line per task, prints the summary and saves a graph qg show reads', async () => {
    const file = join(dir, 'demo.qg');
    const dot = join(dir, 'demo.dot');
    const r = await build(['-b', repo, '-o', 'u/demo/a', '--save-qgraph', file, '--qgraph-dot', dot]);
    expect(r.stderr).toContain('Generated 16 quanta for task processCcd (0 had no work, 0 skipped)');
    expect(r.stderr).toContain('Generated 32 quanta for task makeCoaddTempExp (0 had no work, 0 skipped)');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/QuantumGraph contains 88 quanta for 8 tasks, output run 'u\/demo\/a\/\d{8}T\d{6}Z'/);
    expect(r.stdout).toMatch(/^Task\s+Quanta$/m);
    expect(r.stdout).toMatch(/^mergeCoaddMeasurements\s+4$/m);
    expect(readFileSync(dot, 'utf8')).toMatch(/^digraph QuantumGraph \{/);
    const graph = readQuantumGraph(file);
    expect(graph.header.commandLine).toMatch(/^qg build -p .*DRP-demo\.yaml/);
    expect(graph.header.pipelineYaml).toMatch(/processCcd/);
    const calexp = graph.quanta[0]?.outputs['outputExposure']?.[0];
    expect(calexp?.path).toMatch(/^u\/demo\/a\/\d{8}T\d{6}Z\/calexp\/i\/20240101\/demo-i\/v1\/calexp_DemoCam_i_demo-i_1_0_u_demo_a_\d{8}T\d{6}Z\.fits$/);

    const show = await runBin('qg', ['show', file, '--show', 'tasks']);
    expect(show.exitCode).toBe(0);
    expect(show.stdout).toMatch(/88 quanta for 8 tasks/);
    expect(show.stdout).toMatch(/^forcedPhotCoadd\s+lsst\.meas\.base\.forcedPhotCoadd\.ForcedPhotCoaddTask\s+band, skymap, tract, patch\s+8$/m);
    const uris = await runBin('qg', ['show', file, '--show', 'uri']);
    expect(uris.stdout).toContain('raw/raw_1_0.fits');
    const workflow = await runBin('qg', ['show', file, '--show', 'workflow']);
    expect(workflow.stdout).toMatch(/Quantum 16 [0-9a-f-]{36}: makeCoaddTempExp .*\n  parent quantum 0 /);
  });

  it('takes the repository from BUTLER_REPO and prints JSON', async () => {
    const r = await build(['-o', 'u/demo/b', '-d', "band = 'r'", '--json'], { BUTLER_REPO: repo });
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout) as { quanta: number; tasks: { label: string; quanta: number }[] };
    expect(out.tasks[0]).toEqual({ label: 'processCcd', quanta: 8 });
    expect(out.quanta).toBe(8 + 16 + 4 + 4 + 4 + 4 + 4 + 4);
  });

  it('explains an empty graph with a command to check it (exit code 4)', async () => {
    const r = await build(['-b', repo, '-o', 'u/demo/c', '-d', 'visit = 42']);
    expect(r.exitCode).toBe(ExitCode.notFound);
    expect(r.stderr).toContain(`qg: error: The quantum graph is empty: the where-clause "visit = 42" matched no data IDs of dimension 'visit'.`);
    expect(r.stderr).toContain('hint: Check with: butler-ts query-data-ids REPO instrument visit --where "visit = 42"');
  });

  it('refuses an existing output run without --extend-run (exit code 5)', async () => {
    const r = await build(['-b', repo, '-o', 'u/demo', '--output-run', 'u/demo/taken']);
    expect(r.exitCode).toBe(ExitCode.conflict);
    expect(r.stderr).toContain('Output run "u/demo/taken" already exists, but --extend-run was not given.');
  });

  it('needs a repository', async () => {
    const r = await runBin('qg', ['build', '-p', DEMO_PIPELINE, '-o', 'x'], { env: { BUTLER_REPO: '' } });
    expect(r.exitCode).toBe(ExitCode.usage);
    expect(r.stderr).toContain('No repository given.');
  });

  it('reports a corrupted graph file (exit code 3)', async () => {
    const file = join(dir, 'bad.qg');
    const good = join(dir, 'demo.qg');
    const bytes = Buffer.from(readFileSync(good));
    bytes[200] = (bytes[200] ?? 0) ^ 0xff;
    writeFileSync(file, bytes);
    const r = await runBin('qg', ['show', file]);
    expect(r.exitCode).toBe(ExitCode.invalidInput);
    expect(r.stderr).toMatch(/bad\.qg" is corrupted/);
  });
});
