import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterQuantumGraph } from '../../src/cluster/index.js';
import { BpsConfig, loadBpsConfig } from '../../src/config/index.js';
import {
  makeJobLogPaths, readGenericWorkflow, resolveJobLogPaths, sanitizeJobName, transformWorkflow, WorkflowError, writeGenericWorkflow, type GenericWorkflow,
} from '../../src/workflow/index.js';
import { makeDemoGraph, makeGraph } from '../cluster/graph-fixtures.js';
import { projectRoot } from '../support/cli.js';

const NOW = new Date('2024-01-01T00:00:00Z');

function loadDemo(file: string, settings: string[] = []): BpsConfig {
  return loadBpsConfig({ file: resolve(projectRoot, 'bps-configs', file), cwd: '/home/me/work', operator: 'me', now: NOW, overrides: { butlerConfig: '/data/repo', settings } });
}

function transformDemo(file: string, settings: string[] = []): GenericWorkflow {
  const config = loadDemo(file, settings);
  const graph = makeDemoGraph(String(config.search('outputRun')));
  const { clustered } = clusterQuantumGraph({ graph, config });
  return transformWorkflow({ config, clustered, graph }).workflow;
}

describe('transform of the demo submission (bps-configs/demo-local.yaml)', () => {
  const config = loadDemo('demo-local.yaml');
  const graph = makeDemoGraph(String(config.search('outputRun')));
  const { clustered } = clusterQuantumGraph({ graph, config });
  const { workflow, counts } = transformWorkflow({ config, clustered, graph });
  const byName = new Map(workflow.jobs.map((j) => [j.name, j]));
  const submit = '/home/me/work/submit/u/me/DRP-demo/20240101T000000Z';
  const graphFile = `${submit}/u_me_DRP-demo_20240101T000000Z.qg`;

  it('has an init job, one job per quantum and a final job', () => {
    expect(counts).toEqual({ jobs: 90, payloadJobs: 88, quanta: 88, dependencies: expect.any(Number), hasInit: true, hasFinal: true });
    expect(workflow.jobs[0]!.name).toBe('pipetaskInit');
    expect(workflow.jobs.at(-1)!.name).toBe('finalJob');
    expect(workflow).toMatchObject({ name: 'u_me_DRP-demo_20240101T000000Z', submitPath: submit, repo: '/data/repo', graphFile, computeSite: 'local' });
    expect(workflow.runAttributes).toEqual({ operator: 'me', project: 'demo', campaign: 'quickstart', payloadName: 'DRP-demo', outputRun: 'u/me/DRP-demo/20240101T000000Z', computeSite: 'local' });
  });

  it('runs qg pre-exec-init, run-qbb with the quantum ids, and aggregate-graph, as argument arrays', () => {
    expect(byName.get('pipetaskInit')!.commands).toEqual([['qg', 'pre-exec-init', '/data/repo', graphFile]]);
    const job = workflow.jobs.find((j) => j.kind === 'payload' && j.label === 'assembleCoadd')!;
    expect(job.commands).toEqual([['qg', 'run-qbb', '/data/repo', graphFile, '--qgraph-node-id', job.quantumIds.join(',')]]);
    expect(job.quantumIds).toEqual([graph.quanta[clustered.clusters.find((c) => c.name === job.name)!.quanta[0]!]!.id]);
    const final = byName.get('finalJob')!;
    expect(final.commands).toEqual([['qg', 'aggregate-graph', graphFile, '/data/repo']]);
    expect(final.runAlways).toBe(true);
    expect(final.concurrencyLimit).toBe('db_limit');
  });

  it('mirrors quantum dependencies; init before sources, final after sinks; parents come first', () => {
    const seen = new Set<string>();
    for (const job of workflow.jobs) {
      for (const p of job.parents) expect(seen.has(p)).toBe(true);
      seen.add(job.name);
    }
    const ccd = workflow.jobs.filter((j) => j.label === 'processCcd');
    expect(ccd.every((j) => j.parents.length === 1 && j.parents[0] === 'pipetaskInit')).toBe(true);
    const warp = workflow.jobs.find((j) => j.label === 'makeCoaddTempExp' && j.tags['visit'] === 3 && j.tags['patch'] === 1)!;
    expect(warp.parents.map((p) => byName.get(p)!.tags)).toEqual([
      { instrument: 'DemoCam', visit: 3, detector: 0, band: 'g' },
      { instrument: 'DemoCam', visit: 3, detector: 1, band: 'g' },
    ]);
    const forced = workflow.jobs.filter((j) => j.label === 'forcedPhotCoadd').map((j) => j.name).sort();
    expect([...byName.get('finalJob')!.parents].sort()).toEqual(forced);
  });

  it('takes resources from the pipetask, site and root sections', () => {
    const ccd = workflow.jobs.find((j) => j.label === 'processCcd')!;
    expect(ccd.resources).toMatchObject({ requestMemory: 2048, requestWalltime: 300, numberOfRetries: 1, memoryMultiplier: 2, requestMemoryMax: 16384, retryUnlessExit: [1, 2, 3, 4, 9] });
    expect(workflow.jobs.find((j) => j.label === 'assembleCoadd')!.resources).toMatchObject({ requestMemory: 1024, requestWalltime: 600 });
    expect(byName.get('finalJob')!.resources).toMatchObject({ requestMemory: 4096, requestCpus: 1, retryUnlessExit: [2, 3] });
  });

  it('lays logs out as logs/<label>/<data ID parts>/<job>.out', () => {
    const coadd = workflow.jobs.find((j) => j.label === 'assembleCoadd' && j.tags['patch'] === 2 && j.tags['band'] === 'r')!;
    expect(coadd.stdout).toBe(`logs/assembleCoadd/0/2/r/${coadd.name}.out`);
    expect(coadd.stderr).toBe(`logs/assembleCoadd/0/2/r/${coadd.name}.err`);
    const warp = workflow.jobs.find((j) => j.label === 'makeCoaddTempExp' && j.tags['patch'] === 0 && j.tags['visit'] === 5)!;
    expect(warp.stdout).toBe(`logs/makeCoaddTempExp/0/0/r/5/${warp.name}.out`);
    expect(byName.get('pipetaskInit')!.stdout).toBe('logs/pipetaskInit/pipetaskInit.out');
    expect(resolveJobLogPaths(submit, coadd).stdout).toBe(`${submit}/logs/assembleCoadd/0/2/r/${coadd.name}.out`);
  });

  it('round-trips through the JSON file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bps-wf-')), 'sub', 'workflow.json');
    writeGenericWorkflow(file, workflow);
    expect(readGenericWorkflow(file)).toEqual(workflow);
  });
});

describe('the clustered demo submission (bps-configs/demo-clustered.yaml)', () => {
  it('makes 20 jobs: 8 per visit, 8 per patch and band, 4 per patch, linked by their quanta', () => {
    const wf = transformDemo('demo-clustered.yaml');
    const payload = wf.jobs.filter((j) => j.kind === 'payload');
    expect(payload.map((j) => j.label).reduce<Record<string, number>>((n, l) => ({ ...n, [l]: (n[l] ?? 0) + 1 }), {})).toEqual({ singleFrame: 8, coadd: 8, multiband: 4 });
    const coadd = wf.jobs.find((j) => j.name === 'coadd_t0_p1_g')!;
    expect(coadd.quantaCounts).toEqual({ makeCoaddTempExp: 4, assembleCoadd: 1, detectCoaddSources: 1 });
    expect(coadd.parents).toEqual(['singleFrame_1', 'singleFrame_2', 'singleFrame_3', 'singleFrame_4']);
    expect(coadd.commands[0]!.at(-1)!.split(',')).toHaveLength(6);
    const multiband = wf.jobs.find((j) => j.name === 'multiband_0_1')!;
    expect(multiband.parents).toEqual(['coadd_t0_p1_g', 'coadd_t0_p1_r']);
    expect(multiband.resources.requestMemory).toBe(3072);
    expect(multiband.resources.requestWalltime).toBe(6 * 600);
    expect(multiband.stdout).toBe('logs/multiband/0/1/multiband_0_1.out');
    expect(wf.name).toBe('u_me_DRP-demo-clustered_20240101T000000Z');
  });

  it('leaves out the init and final jobs when asked', () => {
    const wf = transformDemo('demo-clustered.yaml', ['runInit=false', 'finalJob.whenRun=NEVER']);
    expect(wf.jobs.map((j) => j.kind).filter((k) => k !== 'payload')).toEqual([]);
    expect(wf.jobs.find((j) => j.name === 'singleFrame_1')!.parents).toEqual([]);
  });

  it('makes the final job an ordinary sink for whenRun: SUCCESS and rejects other values', () => {
    expect(transformDemo('demo-clustered.yaml', ['finalJob.whenRun=SUCCESS']).jobs.at(-1)).toMatchObject({ name: 'finalJob', runAlways: false });
    expect(() => transformDemo('demo-clustered.yaml', ['finalJob.whenRun=sometimes'])).toThrowError(WorkflowError);
  });
});

describe('hostile data-ID values', () => {
  const hostile = ['a b', `it's "quoted"`, '$(rm -rf ~)', '../../etc', '..', 'x/../../y', '; ls', '-rf', '.hidden'];
  const graph = makeGraph(['isr', 'calib'], [
    ...hostile.map((band) => ({ label: 'isr', dataId: { instrument: 'Cam', band, visit: 1 } })),
    { label: 'calib', dataId: { instrument: 'Cam', band: '../..', visit: 1 }, upstream: hostile.map((_, i) => i) },
  ]);
  const config = BpsConfig.fromObject({
    butlerConfig: '/repo', submitPath: '/submit/run', runQgraphFile: '/submit/run/g.qg', finalJob: { whenRun: 'NEVER' },
    templateDataId: '{band}_{visit}', useNodeIdInClusterName: false, subDirTemplate: '{label}/{band}/{visit}',
    runQuantumCommand: 'qg run-qbb {butlerConfig} {qgraphFile} --qgraph-node-id {qgraphNodeId} --band {band}',
  });
  const { clustered } = clusterQuantumGraph({ graph, config });
  const { workflow } = transformWorkflow({ config, clustered, graph });

  it('gives every job a unique name of safe characters', () => {
    const names = workflow.jobs.map((j) => j.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/);
    expect(names).toContain('isr_a_b_1');
  });

  it('keeps log paths inside the submit directory', () => {
    for (const job of workflow.jobs) {
      expect(job.stdout.startsWith('logs/')).toBe(true);
      expect(job.stdout.split('/')).not.toContain('..');
      const abs = resolveJobLogPaths('/submit/run', job).stdout;
      expect(abs.startsWith('/submit/run/logs/')).toBe(true);
    }
  });

  it('passes the values as single arguments, never through a shell', () => {
    const job = workflow.jobs.find((j) => j.tags['band'] === '$(rm -rf ~)')!;
    expect(job.commands[0]!.slice(-2)).toEqual(['--band', '$(rm -rf ~)']);
  });

  it('refuses a log path edited to leave the submit directory', () => {
    expect(() => resolveJobLogPaths('/submit/run', { name: 'x', stdout: '../../x.out', stderr: 'logs/x.err' })).toThrowError(/leaves the submit directory/);
    expect(makeJobLogPaths('a/../../b', 'j').stdout).toBe('logs/a/__/__/b/j.out');
    expect(sanitizeJobName('-$(x) y')).toBe('x_y');
  });
});

describe('reading a workflow file', () => {
  it('reports a malformed or edited file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bps-wf-'));
    const file = join(dir, 'wf.json');
    writeFileSync(file, '{"formatVersion": 1, "name": "x"');
    expect(() => readGenericWorkflow(file)).toThrowError(/is not valid JSON/);
    const wf = transformDemo('demo-local.yaml');
    writeGenericWorkflow(file, { ...wf, jobs: [...wf.jobs].reverse() });
    expect(() => readGenericWorkflow(file)).toThrowError(/names a parent that does not come before it/);
    expect(readFileSync(file, 'utf8').split('\n').length).toBeGreaterThan(wf.jobs.length);
  });
});
