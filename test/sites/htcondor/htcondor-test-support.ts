import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERIC_WORKFLOW_FORMAT_VERSION, type GenericWorkflow, type GenericWorkflowJob } from '../../../src/workflow/index.js';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const fixturesDir = resolve(projectRoot, 'test/fixtures/htcondor');
export const fakeBin = resolve(fixturesDir, 'fake-bin');
export const corpusDir = resolve(projectRoot, '../shared/corpus/bps/ctrl_bps_htcondor');

/** A fixture's text without its `#%` source header lines. */
export function readFixture(name: string): string {
  const text = readFileSync(resolve(fixturesDir, 'recorded', name), 'utf8');
  const lines = text.split('\n');
  let i = 0;
  while (lines[i]?.startsWith('#%')) i++;
  return lines.slice(i).join('\n');
}

/** Lines that differ between two texts, as `line N: - expected / + actual` (empty when equal). */
export function diffLines(expected: string, actual: string): string[] {
  const e = expected.split('\n');
  const a = actual.split('\n');
  const out: string[] = [];
  for (let i = 0; i < Math.max(e.length, a.length); i++) {
    if (e[i] !== a[i]) out.push(`line ${i + 1}:\n  - ${e[i] ?? '<missing>'}\n  + ${a[i] ?? '<missing>'}`);
  }
  return out;
}

const baseResources = {
  requestCpus: 1,
  requestMemory: 2048,
  requestWalltime: null,
  numberOfRetries: 0,
  memoryMultiplier: null,
  requestMemoryMax: null,
  memoryLimit: null,
  retryUnlessExit: [] as number[],
};

/** One job with defaults; logs under `logs/<label>/`. */
export function makeJob(name: string, fields: Partial<GenericWorkflowJob> & Pick<GenericWorkflowJob, 'commands'>): GenericWorkflowJob {
  const label = fields.label ?? name;
  return {
    name,
    label,
    kind: 'payload',
    tags: {},
    quantumIds: [],
    quantaCounts: {},
    resources: baseResources,
    parents: [],
    runAlways: false,
    stdout: `logs/${label}/${name}.out`,
    stderr: `logs/${label}/${name}.err`,
    ...fields,
  };
}

/** A workflow around the given jobs. */
export function makeWorkflow(name: string, submitPath: string, jobs: GenericWorkflowJob[]): GenericWorkflow {
  return {
    formatVersion: GENERIC_WORKFLOW_FORMAT_VERSION,
    name,
    submitPath,
    repo: '/data/my repo',
    graphFile: `${submitPath}/${name}.qg`,
    computeSite: 'htcondor',
    runAttributes: { operator: 'tester', project: 'dev', campaign: 'quick', payloadName: 'demo', outputRun: `u/tester/${name}`, computeSite: 'htcondor' },
    jobs,
  };
}

/**
 * The demo-shaped workflow of the golden files: init job, isr → characterizeImage →
 * calibrate for one detector plus a second isr, a final job with two commands; hostile
 * argument values (spaces, quotes, `$`) and memory scaling on calibrate.
 */
export function makeDemoWorkflow(submitPath: string): GenericWorkflow {
  const qg = (...rest: string[]): string[] => ['qg', ...rest];
  const graph = `${submitPath}/demo_run.qg`;
  const repo = '/data/my repo';
  return makeWorkflow('demo_run', submitPath, [
    makeJob('pipetaskInit', { label: 'pipetaskInit', kind: 'init', commands: [qg('pre-exec-init', repo, graph)] }),
    makeJob('isr_903342_10', {
      label: 'isr',
      tags: { visit: 903342, detector: 10 },
      quantumIds: ['q-1'],
      quantaCounts: { isr: 1 },
      parents: ['pipetaskInit'],
      commands: [qg('run-qbb', repo, graph, '--qgraph-node-id', 'q-1', '--config', "isr:doWrite='yes please'")],
      concurrencyLimit: 'db_limit',
    }),
    makeJob('isr_903342_11', {
      label: 'isr',
      quantaCounts: { isr: 1 },
      parents: ['pipetaskInit'],
      commands: [qg('run-qbb', repo, graph, '--qgraph-node-id', 'q-2', '--extra', 'say "hi" to $HOME')],
      concurrencyLimit: 'db_limit',
    }),
    makeJob('characterizeImage_903342_10', {
      label: 'characterizeImage',
      quantaCounts: { characterizeImage: 1 },
      parents: ['isr_903342_10'],
      commands: [qg('run-qbb', repo, graph, '--qgraph-node-id', 'q-3', '')],
      resources: { ...baseResources, numberOfRetries: 2, retryUnlessExit: [3, 4] },
    }),
    makeJob('calibrate_903342.10', {
      label: 'calibrate',
      quantaCounts: { calibrate: 1 },
      parents: ['characterizeImage_903342_10'],
      commands: [qg('run-qbb', repo, graph, '--qgraph-node-id', 'q-4')],
      resources: { ...baseResources, requestCpus: 2, requestMemory: 4096, numberOfRetries: 5, memoryMultiplier: 2, requestMemoryMax: 65536, memoryLimit: 491520 },
    }),
    makeJob('finalJob', {
      label: 'finalJob',
      kind: 'final',
      runAlways: true,
      parents: ['calibrate_903342.10', 'isr_903342_11'],
      commands: [qg('aggregate-graph', graph, repo), ['/bin/echo', "it's done"]],
    }),
  ]);
}
