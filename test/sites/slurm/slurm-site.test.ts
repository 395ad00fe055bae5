import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getSitePlugin, SiteError, type SubmitOptions } from '../../../src/sites/index.js';
import { BLOCKED_END_REASON, queryJobs, slurmSite, sortJobsByDependency } from '../../../src/sites/slurm/index.js';
import { createSilentLogger } from '../../../src/util/index.js';
import { makeJob, makeWorkflow, MemoryRecorder, nodeCommand } from '../site-fixtures.js';
import { describeSlurm, isSlurmFinal, waitForJobs } from './slurm-cluster.js';
import { makeSlurmConfig, waitForSlurmRun } from './slurm-site-support.js';

const log = createSilentLogger();

async function submitRun(jobs: Parameters<typeof makeWorkflow>[0]): Promise<{ options: SubmitOptions; siteRunId: string; recorder: MemoryRecorder }> {
  const workflow = makeWorkflow(jobs);
  const prepared = await slurmSite.prepare({ workflow, config: makeSlurmConfig(), submitPath: workflow.submitPath, cwd: workflow.submitPath, log });
  const recorder = new MemoryRecorder();
  const options: SubmitOptions = { workflow, prepared, recorder, log };
  const { siteRunId, finished } = await slurmSite.submit(options);
  expect(finished).toBe(false);
  return { options, siteRunId, recorder };
}

const ACTIVE = new Set(['PENDING', 'CONFIGURING', 'RUNNING', 'COMPLETING', 'SUSPENDED']);

describe('slurm site plugin', () => {
  it('is registered in the static site map with honest capabilities', () => {
    expect(getSitePlugin('slurm')).toBe(slurmSite);
    expect(slurmSite.capabilities).toEqual({ runsInDriver: false, retries: false, memoryScaling: false });
  });

  it('orders jobs parents first and rejects a cycle', () => {
    const jobs = [makeJob({ name: 'c', parents: ['b'], commands: [] }), makeJob({ name: 'b', parents: ['a'], commands: [] }), makeJob({ name: 'a', commands: [] })];
    expect(sortJobsByDependency(makeWorkflow(jobs)).map((j) => j.name)).toEqual(['a', 'b', 'c']);
    const cycle = [makeJob({ name: 'x', parents: ['y'], commands: [] }), makeJob({ name: 'y', parents: ['x'], commands: [] })];
    expect(() => sortJobsByDependency(makeWorkflow(cycle))).toThrow(SiteError);
  });
});

describeSlurm('slurm site plugin on the dev cluster', () => {
  it('runs a job with a hostile name and data-ID argument without injecting anything', async () => {
    const name = `it's "odd" $(touch pwned_name) \`touch pwned_tick\` job`;
    const dataId = `visit=1 AND detector='$(touch pwned_arg)'; touch pwned_semi "x" \\ %j`;
    const workflow = makeWorkflow([]);
    const out = join(workflow.submitPath, 'argv.json');
    const job = makeJob({ name, commands: [nodeCommand("require('fs').writeFileSync(process.argv[1], JSON.stringify([process.argv[2], process.env.BPS_TS_JOB_NAME]))", out, dataId)] });
    const prepared = await slurmSite.prepare({ workflow: { ...workflow, jobs: [job] }, config: makeSlurmConfig(), submitPath: workflow.submitPath, cwd: workflow.submitPath, log });
    const recorder = new MemoryRecorder();
    const options: SubmitOptions = { workflow: { ...workflow, jobs: [job] }, prepared, recorder, log };
    const { siteRunId } = await slurmSite.submit(options);
    await waitForSlurmRun(options, siteRunId);
    expect(recorder.ended).toMatchObject([{ job: name, state: 'succeeded', exitCode: 0 }]);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual([dataId, name]);
    for (const f of ['pwned_name', 'pwned_tick', 'pwned_arg', 'pwned_semi']) expect(existsSync(join(workflow.submitPath, f))).toBe(false);
    const [row] = await queryJobs({ jobIds: [recorder.started[0]!.siteJobId!] });
    expect(row?.name.startsWith(workflow.name)).toBe(true);
    expect(row?.name).toMatch(/^[A-Za-z0-9._:+-]+$/);
    expect(row?.comment).toBe(`bps-ts:${workflow.name}`);
  }, 120_000);

  it('cancels every job of a run and no job of another run', async () => {
    const slow = nodeCommand('setTimeout(() => {}, 120000)');
    const a = await submitRun([makeJob({ name: 'slow', commands: [slow] }), makeJob({ name: 'after', parents: ['slow'], commands: [nodeCommand('')] })]);
    const b = await submitRun([makeJob({ name: 'other', commands: [slow] })]);
    const running = a.recorder.started.map((s) => ({ job: s.job, attempt: s.attempt, host: s.host, pid: null, pidStart: null, siteJobId: s.siteJobId }));
    const ended = await slurmSite.cancel({ submitPath: a.options.workflow.submitPath, siteRunId: a.siteRunId, running });
    expect(ended.map((e) => [e.job, e.state]).sort()).toEqual([['after', 'deleted'], ['slow', 'deleted']]);
    const comment = `bps-ts:${a.options.workflow.name}`;
    const deadline = Date.now() + 30_000;
    let rows = await queryJobs({ comment });
    while (rows.some((r) => ACTIVE.has(r.state)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 300));
      rows = await queryJobs({ comment });
    }
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.state)).toEqual(['CANCELLED', 'CANCELLED']);
    const other = b.recorder.started[0]!.siteJobId!;
    const [otherRow] = await queryJobs({ jobIds: [other] });
    expect(ACTIVE.has(otherRow?.state ?? '')).toBe(true);
    await slurmSite.cancel({ submitPath: b.options.workflow.submitPath, siteRunId: b.siteRunId, running: [] });
    const [after] = await waitForJobs([other], (r) => r.every(isSlurmFinal), 30_000);
    expect(after?.state).toBe('CANCELLED');
  }, 60_000);

  it('reports a failed job with its exit code and takes its blocked descendants out of the queue', async () => {
    const run = await submitRun([
      makeJob({ name: 'a_1', commands: [nodeCommand('process.exit(3)')] }),
      makeJob({ name: 'b_1', parents: ['a_1'], commands: [nodeCommand('')] }),
      makeJob({ name: 'c_1', parents: ['b_1'], commands: [nodeCommand('')] }),
      makeJob({ name: 'final', kind: 'final', parents: ['c_1'], runAlways: true, commands: [nodeCommand('')] }),
    ]);
    await waitForSlurmRun(run.options, run.siteRunId);
    const byJob = new Map(run.recorder.ended.map((e) => [e.job, e]));
    expect(byJob.get('a_1')).toMatchObject({ state: 'failed', exitCode: 3, signal: null });
    for (const j of ['b_1', 'c_1']) expect(byJob.get(j)).toMatchObject({ state: 'deleted', reason: BLOCKED_END_REASON, exitCode: null });
    expect(byJob.get('final')).toMatchObject({ state: 'succeeded', exitCode: 0 });
    expect(Object.fromEntries(run.recorder.states)).toEqual({ a_1: 'failed', b_1: 'pruned', c_1: 'pruned', final: 'succeeded' });
    const ids = run.recorder.started.filter((s) => s.job === 'b_1' || s.job === 'c_1').map((s) => s.siteJobId!);
    const rows = await queryJobs({ jobIds: ids });
    expect(rows.map((r) => r.state)).toEqual(['CANCELLED', 'CANCELLED']);
    expect(rows.every((r) => isSlurmFinal(r))).toBe(true);
  }, 120_000);

  it('runs jobs after their parents, skips done jobs and continues attempt numbers and memory', async () => {
    const workflow = makeWorkflow([]);
    const order = join(workflow.submitPath, 'order.txt');
    const append = (n: string): string[] => nodeCommand("require('fs').appendFileSync(process.argv[1], process.argv[2] + '\\n')", order, n);
    const jobs = [
      makeJob({ name: 'init', kind: 'init', commands: [append('init')] }),
      makeJob({ name: 'a_1', parents: ['init'], commands: [append('a_1')] }),
      makeJob({ name: 'a_2', parents: ['init'], commands: [append('a_2')] }),
      makeJob({ name: 'b_1', parents: ['a_1', 'a_2'], commands: [append('b_1')] }),
      makeJob({ name: 'final', kind: 'final', parents: ['b_1'], runAlways: true, commands: [append('final')] }),
    ];
    const prepared = await slurmSite.prepare({ workflow: { ...workflow, jobs }, config: makeSlurmConfig(), submitPath: workflow.submitPath, cwd: workflow.submitPath, log });
    const recorder = new MemoryRecorder();
    const options: SubmitOptions = { workflow: { ...workflow, jobs }, prepared, recorder, log, done: new Set(['init']), previousAttempts: new Map([['b_1', 3]]), memoryMiB: new Map([['b_1', 2000]]) };
    const { siteRunId } = await slurmSite.submit(options);
    await waitForSlurmRun(options, siteRunId);
    const lines = readFileSync(order, 'utf8').trim().split('\n');
    expect(lines.slice(0, 2).sort()).toEqual(['a_1', 'a_2']);
    expect(lines.slice(2)).toEqual(['b_1', 'final']);
    expect(recorder.attemptsOf('init')).toEqual([]);
    const b = recorder.attemptsOf('b_1');
    expect(b.map((a) => [a.attempt, a.memoryMiB, basename(a.stdout)])).toEqual([[4, 2000, 'b_1.4.out']]);
    expect(readFileSync(join(workflow.submitPath, 'slurm', 'jobs', 'b_1.4.sh'), 'utf8')).toContain('#SBATCH --mem=2000M');
    expect(Object.fromEntries(recorder.states)).toEqual({ init: 'succeeded', a_1: 'succeeded', a_2: 'succeeded', b_1: 'succeeded', final: 'succeeded' });
  }, 120_000);

  it('cancels what it submitted and deletes the rest when aborted during submission', async () => {
    const abort = new AbortController();
    const jobs = [makeJob({ name: 'slow', commands: [nodeCommand('setTimeout(() => {}, 60000)')] }), makeJob({ name: 'after', parents: ['slow'], commands: [nodeCommand('')] })];
    const workflow = makeWorkflow(jobs);
    const prepared = await slurmSite.prepare({ workflow, config: makeSlurmConfig(), submitPath: workflow.submitPath, cwd: workflow.submitPath, log });
    const recorder = new MemoryRecorder();
    const spy = { setJobState: recorder.setJobState.bind(recorder), attemptEnded: recorder.attemptEnded.bind(recorder), attemptStarted: (a: Parameters<MemoryRecorder['attemptStarted']>[0]) => { recorder.attemptStarted(a); abort.abort(); } };
    const result = await slurmSite.submit({ workflow, prepared, recorder: spy, log, signal: abort.signal });
    expect(result.finished).toBe(true);
    expect(recorder.started.map((a) => a.job)).toEqual(['slow']);
    expect(Object.fromEntries(recorder.states)).toEqual({ slow: 'deleted', after: 'deleted' });
    expect(recorder.ended).toMatchObject([{ job: 'slow', state: 'deleted' }]);
    const rows = await waitForJobs([recorder.started[0]!.siteJobId!], (r) => r.every(isSlurmFinal), 30_000);
    expect(rows[0]?.state).toBe('CANCELLED');
  }, 60_000);

  it('refuses a missing executable at prepare, naming it', async () => {
    const workflow = makeWorkflow([makeJob({ name: 'a', commands: [['/nonexistent/qg-nope', 'run-qbb']] })]);
    const error = await slurmSite.prepare({ workflow, config: makeSlurmConfig(), submitPath: workflow.submitPath, cwd: workflow.submitPath, log }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SiteError);
    expect((error as Error).message).toContain('/nonexistent/qg-nope');
  });
});
