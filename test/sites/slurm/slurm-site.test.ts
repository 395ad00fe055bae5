import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getSitePlugin, SiteError } from '../../../src/sites/index.js';
import { queryJobs, slurmSite, sortJobsByDependency } from '../../../src/sites/slurm/index.js';
import { createSilentLogger } from '../../../src/util/index.js';
import { makeJob, makeWorkflow, MemoryRecorder, nodeCommand } from '../site-fixtures.js';
import { describeSlurm, isSlurmFinal, waitForJobs } from './slurm-cluster.js';
import { followToEnd, ledgerOf, makeSlurmConfig, submitSlurmRun } from './slurm-site-support.js';

const log = createSilentLogger();

const ACTIVE = new Set(['PENDING', 'CONFIGURING', 'RUNNING', 'COMPLETING', 'SUSPENDED']);

describe('slurm site plugin', () => {
  it('is registered in the static site map with honest capabilities', () => {
    expect(getSitePlugin('slurm')).toBe(slurmSite);
    expect(slurmSite.capabilities).toEqual({ runsInDriver: false, retries: true, memoryScaling: true, adoptsJobs: true });
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
    const run = await submitSlurmRun([job], { submitPath: workflow.submitPath });
    await followToEnd(run);
    expect(run.recorder.ended).toMatchObject([{ job: name, state: 'succeeded', exitCode: 0 }]);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual([dataId, name]);
    for (const f of ['pwned_name', 'pwned_tick', 'pwned_arg', 'pwned_semi']) expect(existsSync(join(workflow.submitPath, f))).toBe(false);
    const [row] = await queryJobs({ jobIds: [run.recorder.started[0]!.siteJobId!] });
    expect(row?.name.startsWith(run.options.workflow.name)).toBe(true);
    expect(row?.name).toMatch(/^[A-Za-z0-9._:+-]+$/);
    expect(row?.comment).toBe(`bps-ts:${run.options.workflow.name}`);
  }, 120_000);

  it('records a queued job as unready or ready, and an attempt only once Slurm starts it', async () => {
    const gate = join(makeWorkflow([]).submitPath, 'gate');
    const waitGate = nodeCommand("const f=require('fs');const t=setInterval(()=>{if(f.existsSync(process.argv[1])){clearInterval(t)}},100)", gate);
    const run = await submitSlurmRun([makeJob({ name: 'first', commands: [waitGate] }), makeJob({ name: 'second', parents: ['first'], commands: [nodeCommand('')] })]);
    expect(run.recorder.started).toEqual([]);
    expect(Object.fromEntries(run.recorder.states)).toEqual({ first: 'ready', second: 'unready' });
    const following = followToEnd(run);
    const { latest } = ledgerOf(run.options.workflow.submitPath);
    await waitForJobs([latest.get('first')!.jobId], (r) => r[0]?.state === 'RUNNING', 60_000);
    const deadline = Date.now() + 10_000;
    while (run.recorder.attemptsOf('first').length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(run.recorder.attemptsOf('first')).toMatchObject([{ attempt: 1, siteJobId: latest.get('first')!.jobId }]);
    expect(run.recorder.attemptsOf('second')).toEqual([]);
    writeFileSync(gate, '');
    await following;
    expect(Object.fromEntries(run.recorder.states)).toEqual({ first: 'succeeded', second: 'succeeded' });
    expect(run.recorder.attemptsOf('second')[0]!.startedAt).toBeGreaterThanOrEqual(run.recorder.ended.find((e) => e.job === 'first')!.endedAt - 1000);
  }, 120_000);

  it('cancels every job of a run and no job of another run', async () => {
    const slow = nodeCommand('setTimeout(() => {}, 120000)');
    const a = await submitSlurmRun([makeJob({ name: 'slow', commands: [slow] }), makeJob({ name: 'after', parents: ['slow'], commands: [nodeCommand('')] })]);
    const b = await submitSlurmRun([makeJob({ name: 'other', commands: [slow] })]);
    const aIds = [...ledgerOf(a.options.workflow.submitPath).latest.values()].map((e) => e.jobId);
    const running = [{ job: 'slow', attempt: 1, host: 'vm', pid: null, pidStart: null, siteJobId: ledgerOf(a.options.workflow.submitPath).latest.get('slow')!.jobId }];
    const ended = await slurmSite.cancel({ submitPath: a.options.workflow.submitPath, siteRunId: a.siteRunId, running });
    expect(ended.map((e) => [e.job, e.state])).toEqual([['slow', 'deleted']]);
    const rows = await waitForJobs(aIds, (r) => r.length === 2 && r.every((x) => !ACTIVE.has(x.state)), 30_000);
    expect(rows.map((r) => r.state)).toEqual(['CANCELLED', 'CANCELLED']);
    const other = ledgerOf(b.options.workflow.submitPath).latest.get('other')!.jobId;
    const [otherRow] = await queryJobs({ jobIds: [other] });
    expect(ACTIVE.has(otherRow?.state ?? '')).toBe(true);
    await slurmSite.cancel({ submitPath: b.options.workflow.submitPath, siteRunId: b.siteRunId, running: [] });
    const [after] = await waitForJobs([other], (r) => r.every(isSlurmFinal), 30_000);
    expect(after?.state).toBe('CANCELLED');
  }, 60_000);

  it('reports a failed job with its exit code, prunes its descendants without an attempt and takes them out of the queue', async () => {
    const run = await submitSlurmRun([
      makeJob({ name: 'a_1', commands: [nodeCommand('process.exit(3)')] }),
      makeJob({ name: 'b_1', parents: ['a_1'], commands: [nodeCommand('')] }),
      makeJob({ name: 'c_1', parents: ['b_1'], commands: [nodeCommand('')] }),
      makeJob({ name: 'final', kind: 'final', parents: ['c_1'], runAlways: true, commands: [nodeCommand('')] }),
    ]);
    await followToEnd(run);
    expect(run.recorder.ended.find((e) => e.job === 'a_1')).toMatchObject({ state: 'failed', exitCode: 3, signal: null });
    expect(run.recorder.ended.find((e) => e.job === 'final')).toMatchObject({ state: 'succeeded', exitCode: 0 });
    expect(Object.fromEntries(run.recorder.states)).toEqual({ a_1: 'failed', b_1: 'pruned', c_1: 'pruned', final: 'succeeded' });
    expect([...run.recorder.attemptsOf('b_1'), ...run.recorder.attemptsOf('c_1')]).toEqual([]);
    const { latest } = ledgerOf(run.options.workflow.submitPath);
    const rows = await queryJobs({ jobIds: ['b_1', 'c_1'].map((j) => latest.get(j)!.jobId) });
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
    const run = await submitSlurmRun(jobs, { submitPath: workflow.submitPath, done: new Set(['init']), previousAttempts: new Map([['b_1', 3]]), memoryMiB: new Map([['b_1', 2000]]) });
    await followToEnd(run);
    const lines = readFileSync(order, 'utf8').trim().split('\n');
    expect(lines.slice(0, 2).sort()).toEqual(['a_1', 'a_2']);
    expect(lines.slice(2)).toEqual(['b_1', 'final']);
    expect(run.recorder.attemptsOf('init')).toEqual([]);
    const b = run.recorder.attemptsOf('b_1');
    expect(b.map((a) => [a.attempt, a.memoryMiB, basename(a.stdout)])).toEqual([[4, 2000, 'b_1.4.out']]);
    expect(readFileSync(join(workflow.submitPath, 'slurm', 'jobs', 'b_1.4.sh'), 'utf8')).toContain('#SBATCH --mem=2000M');
    expect(Object.fromEntries(run.recorder.states)).toEqual({ init: 'succeeded', a_1: 'succeeded', a_2: 'succeeded', b_1: 'succeeded', final: 'succeeded' });
  }, 120_000);

  it('cancels what it submitted and deletes the rest when aborted during submission', async () => {
    const abort = new AbortController();
    const jobs = [makeJob({ name: 'slow', commands: [nodeCommand('setTimeout(() => {}, 60000)')] }), makeJob({ name: 'after', parents: ['slow'], commands: [nodeCommand('')] })];
    const workflow = makeWorkflow(jobs);
    const prepared = await slurmSite.prepare({ workflow, config: makeSlurmConfig(), submitPath: workflow.submitPath, cwd: workflow.submitPath, log });
    const recorder = new MemoryRecorder();
    // The first job's state is recorded right after its sbatch: abort then, before the second.
    const spy = { attemptStarted: recorder.attemptStarted.bind(recorder), attemptEnded: recorder.attemptEnded.bind(recorder), setJobState: (j: string, s: Parameters<MemoryRecorder['setJobState']>[1]) => { recorder.setJobState(j, s); abort.abort(); } };
    const result = await slurmSite.submit({ workflow, prepared, recorder: spy, log, signal: abort.signal });
    expect(result.finished).toBe(true);
    expect(recorder.started).toEqual([]);
    expect(Object.fromEntries(recorder.states)).toEqual({ slow: 'deleted', after: 'deleted' });
    const { all } = ledgerOf(workflow.submitPath);
    expect(all.map((e) => e.job)).toEqual(['slow']);
    const rows = await waitForJobs([all[0]!.jobId], (r) => r.every(isSlurmFinal), 30_000);
    expect(rows[0]?.state).toBe('CANCELLED');
  }, 60_000);

  it('refuses a missing executable at prepare, naming it', async () => {
    const workflow = makeWorkflow([makeJob({ name: 'a', commands: [['/nonexistent/qg-nope', 'run-qbb']] })]);
    const error = await slurmSite.prepare({ workflow, config: makeSlurmConfig(), submitPath: workflow.submitPath, cwd: workflow.submitPath, log }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SiteError);
    expect((error as Error).message).toContain('/nonexistent/qg-nope');
  });
});
