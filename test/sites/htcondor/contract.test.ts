// Contract tests: HTCondor cannot be installed here, so the generated DAG and submit files
// are run by the TEST-ONLY fake condor_* tools in test/fixtures/htcondor/fake-bin, and every
// state is read back through the project's parsers of the formats HTCondor writes.
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseCondorJobs,
  parseJobstateLog,
  parseNodeStatus,
  parseRescueDag,
  parseSubmitClusterId,
  parseUserLog,
  summarizeJobstate,
  summarizeUserLog,
  writeHtcondorFiles,
  type HtcondorJob,
} from '../../../src/sites/htcondor/index.js';
import type { GenericWorkflowJob } from '../../../src/workflow/index.js';
import { fakeBin, makeJob, makeWorkflow } from './htcondor-test-support.js';

const root = mkdtempSync(join(tmpdir(), 'bps htcondor contract '));
const env = { ...process.env, PATH: `${fakeBin}:${process.env['PATH'] ?? ''}`, FAKE_CONDOR_STATE_DIR: join(root, 'schedd') };
beforeAll(() => {
  for (const tool of ['condor_submit_dag', 'condor_q', 'condor_history', 'condor_rm']) chmodSync(join(fakeBin, tool), 0o755);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A job appending `<name>` to the marker file (a path with spaces), optionally failing while `gate` is missing. */
function markJob(name: string, marker: string, fields: Partial<GenericWorkflowJob> = {}, gate?: string): GenericWorkflowJob {
  const script = gate === undefined ? 'echo "$1" >> "$2"; echo "out of $1"' : 'test -e "$3" || exit 3; echo "$1" >> "$2"';
  return makeJob(name, { commands: [['/bin/sh', '-c', script, 'sh', name, marker, ...(gate === undefined ? [] : [gate])]], ...fields });
}

async function submitDag(dagFile: string, extraEnv: Record<string, string> = {}): Promise<number> {
  const started = Date.now();
  const r = await execa('condor_submit_dag', [dagFile], { cwd: dirname(dagFile), env: { ...env, ...extraEnv } });
  expect(Date.now() - started, 'condor_submit_dag returns at once (DAGMan runs detached)').toBeLessThan(5000);
  return parseSubmitClusterId(r.stdout);
}

async function history(constraint: string): Promise<HtcondorJob[]> {
  const r = await execa('condor_history', ['-json', '-constraint', constraint], { env });
  return parseCondorJobs(r.stdout, 'condor_history -json');
}

/** Waits until the DAGMan job has left the queue; returns its history record. */
async function waitForDag(cluster: number, timeoutMs = 45_000): Promise<HtcondorJob> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [job] = await history(`ClusterId == ${cluster}`);
    if (job !== undefined) return job;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`DAGMan job ${cluster} did not finish in ${timeoutMs} ms`);
}

function nodeStates(submitPath: string, name: string): Record<string, string> {
  const status = parseNodeStatus(readFileSync(join(submitPath, `${name}.node_status`), 'utf8'));
  return Object.fromEntries(status.nodes.map((n) => [n.node, n.state]));
}

const lines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : []);

describe('contract with the fake HTCondor CLI', () => {
  it('runs a DAG to success in dependency order and reports it through every format', async () => {
    const submitPath = join(root, 'ok run');
    const marker = join(root, 'ok marker.txt');
    const wf = makeWorkflow('ok_run', submitPath, [
      markJob('init', marker, { kind: 'init' }),
      markJob('a', marker, { parents: ['init'], label: 'calib' }),
      markJob('b', marker, { parents: ['init'], label: 'calib' }),
      markJob('c', marker, { parents: ['a'] }),
      markJob('final', marker, { kind: 'final', runAlways: true, parents: ['b', 'c'] }),
    ]);
    const { dagFile } = await writeHtcondorFiles({ workflow: wf });
    const cluster = await submitDag(dagFile);
    const dagman = await waitForDag(cluster);
    expect(dagman).toMatchObject({ state: 'SUCCEEDED', exitCode: 0, isDagman: true });
    expect(dagman.bps['bps_run']).toBe('ok_run');
    const order = lines(marker);
    expect(order[0]).toBe('init');
    expect(order.at(-1)).toBe('final');
    expect(order.indexOf('c')).toBeGreaterThan(order.indexOf('a'));
    expect(nodeStates(submitPath, 'ok_run')).toEqual({ init: 'SUCCEEDED', a: 'SUCCEEDED', b: 'SUCCEEDED', c: 'SUCCEEDED', final: 'SUCCEEDED' });
    const js = summarizeJobstate(parseJobstateLog(readFileSync(join(submitPath, 'ok_run.jobstate.log'), 'utf8')));
    expect(js.dagmanExitCode).toBe(0);
    expect([...js.nodes.values()].every((n) => n.state === 'SUCCEEDED')).toBe(true);
    const jobs = await history(`DAGManJobId == ${cluster}`);
    expect(jobs.map((j) => [j.dagNodeName, j.state, j.bps['bps_job_label']])).toContainEqual(['a', 'SUCCEEDED', 'calib']);
    expect(jobs).toHaveLength(5);
    expect(readFileSync(join(submitPath, 'logs/calib/a.out'), 'utf8')).toBe('out of a\n');
    expect(readdirSync(submitPath).some((f) => f.includes('.rescue'))).toBe(false);
  });

  it('fails a node without retrying its never-retry exit code, never runs its child, writes a rescue DAG, and completes from it', async () => {
    const submitPath = join(root, 'fail run');
    const marker = join(root, 'fail marker.txt');
    const gate = join(root, 'fail gate');
    const retries = { ...makeJob('x', { commands: [['/bin/true']] }).resources, numberOfRetries: 2, retryUnlessExit: [3] };
    const wf = makeWorkflow('fail_run', submitPath, [
      markJob('init', marker),
      markJob('a', marker, { parents: ['init'] }),
      markJob('b', marker, { parents: ['init'], resources: retries }, gate),
      markJob('c', marker, { parents: ['b'] }),
      markJob('final', marker, { kind: 'final', runAlways: true, parents: ['a', 'c'] }),
    ]);
    const { dagFile } = await writeHtcondorFiles({ workflow: wf });
    const dagman = await waitForDag(await submitDag(dagFile));
    expect(dagman).toMatchObject({ state: 'FAILED', exitCode: 1 });
    expect(lines(marker)).not.toContain('c');
    expect(lines(marker)).toContain('final');
    const states = nodeStates(submitPath, 'fail_run');
    expect(states).toMatchObject({ init: 'SUCCEEDED', a: 'SUCCEEDED', b: 'FAILED', c: 'BLOCKED' });
    const bLog = summarizeUserLog(parseUserLog(readFileSync(join(submitPath, 'jobs/b/b.log'), 'utf8')));
    expect(bLog).toEqual([expect.objectContaining({ state: 'FAILED', exitCode: 3, starts: 1 })]);
    const rescue = parseRescueDag(readFileSync(`${dagFile}.rescue001`, 'utf8'));
    expect([...rescue.done].sort()).toEqual(['a', 'init']);
    expect(rescue.failed).toContain('b');

    writeFileSync(gate, 'fixed');
    const again = await waitForDag(await submitDag(dagFile));
    expect(again).toMatchObject({ state: 'SUCCEEDED', exitCode: 0 });
    const runs = lines(marker);
    expect(runs.filter((n) => n === 'init')).toHaveLength(1);
    expect(runs.filter((n) => n === 'a')).toHaveLength(1);
    expect(runs.slice(-3)).toEqual(['b', 'c', 'final']);
    expect(nodeStates(submitPath, 'fail_run')).toEqual({ init: 'SUCCEEDED', a: 'SUCCEEDED', b: 'SUCCEEDED', c: 'SUCCEEDED', final: 'SUCCEEDED' });
    expect(existsSync(`${dagFile}.rescue002`)).toBe(false);
  });

  it('releases a memory-held job with a larger request and requeues a failed attempt while retries remain', async () => {
    const submitPath = join(root, 'memory run');
    const marker = join(root, 'memory marker.txt');
    const counter = join(root, 'flaky count');
    const base = makeJob('x', { commands: [['/bin/true']] }).resources;
    const wf = makeWorkflow('memory_run', submitPath, [
      markJob('m', marker, { resources: { ...base, requestMemory: 100, memoryMultiplier: 2, numberOfRetries: 3, requestMemoryMax: 1000 } }),
      makeJob('flaky', { commands: [['/bin/sh', '-c', 'echo x >> "$1"; test "$(wc -l < "$1")" -ge 2', 'sh', counter]], resources: { ...base, numberOfRetries: 1 } }),
    ]);
    const { dagFile } = await writeHtcondorFiles({ workflow: wf });
    const dagman = await waitForDag(await submitDag(dagFile, { FAKE_CONDOR_MEMORY_USAGE: 'm=150' }));
    expect(dagman.state).toBe('SUCCEEDED');
    const events = parseUserLog(readFileSync(join(submitPath, 'jobs/m/m.log'), 'utf8'));
    const held = events.find((e) => e.code === 12);
    expect(held).toMatchObject({ holdCode: 34, holdSubcode: 102 });
    const memories = events.filter((e) => e.code === 1).map((e) => e.body.find((l) => l.includes('Memory = ')));
    expect(memories).toEqual(['\tMemory = 100', '\tMemory = 200']);
    expect(summarizeUserLog(events)).toEqual([expect.objectContaining({ state: 'SUCCEEDED', holds: 1, lastHoldKind: 'memory', starts: 2 })]);
    const js = summarizeJobstate(parseJobstateLog(readFileSync(join(submitPath, 'memory_run.jobstate.log'), 'utf8')));
    expect(js.nodes.get('m')).toMatchObject({ state: 'SUCCEEDED', holds: 1, attempts: 1 });
    const flaky = parseUserLog(readFileSync(join(submitPath, 'jobs/flaky/flaky.log'), 'utf8'));
    expect(flaky.find((e) => e.code === 4)).toMatchObject({ requeued: true, returnValue: 1 });
    expect(summarizeUserLog(flaky)[0]).toMatchObject({ state: 'SUCCEEDED', starts: 2 });
  });

  it('removes a memory-held job that already ran at the cap, failing its node', async () => {
    const submitPath = join(root, 'cap run');
    const base = makeJob('x', { commands: [['/bin/true']] }).resources;
    const wf = makeWorkflow('cap_run', submitPath, [makeJob('big', { commands: [['/bin/true']], resources: { ...base, requestMemory: 100, memoryMultiplier: 2, numberOfRetries: 5, requestMemoryMax: 200 } })]);
    const { dagFile } = await writeHtcondorFiles({ workflow: wf });
    const dagman = await waitForDag(await submitDag(dagFile, { FAKE_CONDOR_MEMORY_USAGE: 'big=500' }));
    expect(dagman.state).toBe('FAILED');
    const jobs = summarizeUserLog(parseUserLog(readFileSync(join(submitPath, 'jobs/big/big.log'), 'utf8')));
    expect(jobs).toEqual([expect.objectContaining({ state: 'DELETED', holds: 2, starts: 2 })]);
    expect(nodeStates(submitPath, 'cap_run')).toEqual({ big: 'DELETED' });
  });

  it('shows a running DAG in condor_q and stops it with condor_rm', async () => {
    const submitPath = join(root, 'rm run');
    const wf = makeWorkflow('rm_run', submitPath, [makeJob('sleeper', { commands: [['/bin/sleep', '30']] }), makeJob('after', { commands: [['/bin/true']], parents: ['sleeper'] })]);
    const { dagFile } = await writeHtcondorFiles({ workflow: wf });
    const cluster = await submitDag(dagFile);
    let running: HtcondorJob[] = [];
    for (let i = 0; i < 100 && !running.some((j) => j.dagNodeName === 'sleeper' && j.state === 'RUNNING'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      running = parseCondorJobs((await execa('condor_q', ['-json'], { env })).stdout);
    }
    expect(running.find((j) => j.id === `${cluster}.0`)).toMatchObject({ isDagman: true, state: 'RUNNING' });
    const rm = await execa('condor_rm', [String(cluster)], { env });
    expect(rm.stdout).toContain(`All jobs in cluster ${cluster} have been marked for removal`);
    const dagman = await waitForDag(cluster);
    expect(dagman.state).toBe('DELETED');
    expect(nodeStates(submitPath, 'rm_run')).toEqual({ sleeper: 'DELETED', after: 'PENDING' });
    expect(parseRescueDag(readFileSync(`${dagFile}.rescue001`, 'utf8')).done).toEqual([]);
  });
});
