import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeNoOpGraph } from '../../src/bench/noop-run.js';
import { clusterQuantumGraph } from '../../src/cluster/index.js';
import { loadBpsConfig } from '../../src/config/index.js';
import { expandQuantumIdArguments } from '../../src/exec/index.js';
import { MAX_ID_ARGUMENT, transformWorkflow, writeQuantumIdFiles } from '../../src/workflow/index.js';

const dir = mkdtempSync(join(tmpdir(), 'bps-ids-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function transformVisits(visits: number, detectors: number) {
  const file = join(dir, 'ids.yaml');
  writeFileSync(file, ['payload: {payloadName: noop, butlerConfig: /data/repo, outputRun: bench/noop/run}', `submitPath: ${join(dir, 'submit')}`, 'cluster: {byVisit: {pipetasks: noop, dimensions: visit}}'].join('\n'));
  const config = loadBpsConfig({ file, cwd: dir, env: { USER: 'me' } });
  const graph = makeNoOpGraph(visits, detectors, '/data/repo');
  const { clustered } = clusterQuantumGraph({ graph, config, name: 'ids' });
  return { graph, workflow: transformWorkflow({ config, clustered, graph, graphFile: join(dir, 'g.qg') }).workflow };
}

describe('quantum ids too many for one argument', () => {
  it('go through a file in the submit directory, named on the command line as @FILE', () => {
    const { graph, workflow } = transformVisits(2, 1200);
    const job = workflow.jobs.find((j) => j.kind === 'payload')!;
    expect(job.quantumIds).toHaveLength(1200);
    expect(job.quantumIdsFile).toBe(`jobs/${job.name}.qgraph-ids`);
    const arg = job.commands[0]!.at(-1)!;
    expect(arg).toBe(`@${join(dir, 'submit', job.quantumIdsFile!)}`);
    expect(job.commands.every((c) => c.every((a) => a.length <= MAX_ID_ARGUMENT))).toBe(true);
    writeQuantumIdFiles(workflow);
    expect(readFileSync(arg.slice(1), 'utf8').trim().split('\n')).toEqual(job.quantumIds);
    const ids = expandQuantumIdArguments([arg]);
    expect(new Set(ids)).toEqual(new Set(graph.quanta.filter((q) => q.dataId['visit'] === job.tags['visit']).map((q) => q.id)));
  });

  it('stay inline when they fit, comma-separated', () => {
    const { workflow } = transformVisits(1, 10);
    const job = workflow.jobs.find((j) => j.kind === 'payload')!;
    expect(job.quantumIdsFile).toBeUndefined();
    expect(expandQuantumIdArguments([job.commands[0]!.at(-1)!])).toEqual([...job.quantumIds].sort());
  });

  it('name the file in the error when it cannot be read', () => {
    expect(() => expandQuantumIdArguments([`@${join(dir, 'missing.ids')}`])).toThrow(/missing\.ids/);
  });
});
