import { describe, expect, it } from 'vitest';
import type { GenericWorkflowJob } from '../../../src/workflow/index.js';
import { PilotScheduler, type PilotJobResult, type WorkerSlot } from '../../../src/sites/pilot/index.js';
import { createSilentLogger } from '../../../src/util/index.js';
import { makeJob, makeWorkflow, MemoryRecorder } from '../site-fixtures.js';

const log = createSilentLogger();

function sized(name: string, cpus: number, memory: number, extra: Partial<Parameters<typeof makeJob>[0]> = {}): GenericWorkflowJob {
  const job = makeJob({ name, commands: [['true']], memory, ...extra });
  return { ...job, resources: { ...job.resources, requestCpus: cpus } };
}

function makeScheduler(jobs: GenericWorkflowJob[], options: { now?: () => number; maxWorker?: { cpus: number; memoryMiB: number }; done?: Set<string> } = {}) {
  const recorder = new MemoryRecorder();
  const scheduler = new PilotScheduler({
    workflow: makeWorkflow(jobs), recorder, done: options.done, maxWorker: options.maxWorker ?? { cpus: 4, memoryMiB: 8000 },
    workerLossRetries: 1, walltimeMarginMs: 1000, cwd: '/tmp', log, ...(options.now ? { now: options.now } : {}),
  });
  scheduler.start();
  return { scheduler, recorder };
}

const worker = (over: Partial<WorkerSlot> = {}): WorkerSlot => ({ id: 'w1', host: 'node1', pid: 42, siteJobId: '77', cpus: 4, memoryMiB: 8000, endsAt: null, ...over });
const ok = (lease: string, ms = 100): PilotJobResult => ({ lease, exitCode: 0, signal: null, startedAt: 1000, endedAt: 1000 + ms });

describe('pilot scheduler', () => {
  it('packs ready jobs into a worker by cores and memory, first fit, and records each start', () => {
    const jobs = [sized('a', 2, 1000), sized('b', 3, 1000), sized('c', 1, 1000), sized('d', 1, 7000), sized('e', 1, 500)];
    const { scheduler, recorder } = makeScheduler(jobs);
    const first = scheduler.assign(worker(), { seq: 1, prefetch: 0 }).jobs.map((j) => j.job);
    expect(first).toEqual(['a', 'c', 'e']);
    expect(recorder.started.map((s) => [s.job, s.host, s.pid, s.siteJobId])).toEqual([['a', 'node1', 42, '77'], ['c', 'node1', 42, '77'], ['e', 'node1', 42, '77']]);
    expect(scheduler.assign(worker(), { seq: 2, prefetch: 0 }).jobs).toEqual([]);
    scheduler.complete(ok('a#1'));
    expect(scheduler.assign(worker(), { seq: 3, prefetch: 0 }).jobs.map((j) => j.job)).toEqual([]);
    scheduler.complete(ok('c#1'));
    expect(scheduler.assign(worker(), { seq: 4, prefetch: 0 }).jobs.map((j) => j.job)).toEqual(['b']);
  });

  it('hands out up to prefetch extra jobs beyond what fits', () => {
    const jobs = ['a', 'b', 'c', 'd', 'e'].map((n) => sized(n, 1, 100));
    const { scheduler } = makeScheduler(jobs);
    expect(scheduler.assign(worker({ cpus: 2 }), { seq: 1, prefetch: 2 }).jobs.map((j) => j.job)).toEqual(['a', 'b', 'c', 'd']);
    expect(scheduler.assign(worker({ cpus: 2 }), { seq: 2, prefetch: 2 }).jobs).toEqual([]);
  });

  it('runs children after their parents, prunes below a failure and still runs the final job', () => {
    const jobs = [sized('a', 1, 100), sized('b', 1, 100, { parents: ['a'] }), sized('c', 1, 100, { parents: ['b'] }), sized('f', 1, 100, { parents: ['c'], runAlways: true, kind: 'final' })];
    const { scheduler, recorder } = makeScheduler(jobs);
    expect(scheduler.assign(worker(), { seq: 1, prefetch: 0 }).jobs.map((j) => j.job)).toEqual(['a']);
    scheduler.complete(ok('a#1'));
    expect(scheduler.assign(worker(), { seq: 2, prefetch: 0 }).jobs.map((j) => j.job)).toEqual(['b']);
    scheduler.complete({ ...ok('b#1'), exitCode: 3 });
    expect(Object.fromEntries(recorder.states)).toMatchObject({ a: 'succeeded', b: 'failed', c: 'pruned', f: 'ready' });
    expect(scheduler.assign(worker(), { seq: 3, prefetch: 0 }).jobs.map((j) => j.job)).toEqual(['f']);
    scheduler.complete(ok('f#1'));
    expect(scheduler.isFinished()).toBe(true);
  });

  it('retries per numberOfRetries, ahead of other ready jobs, with memory scaled after an out-of-memory kill', () => {
    const jobs = [sized('big', 1, 1000, { retries: 1 }), sized('other', 1, 1000)];
    const { scheduler, recorder } = makeScheduler(jobs, { maxWorker: { cpus: 1, memoryMiB: 1500 } });
    expect(scheduler.assign(worker({ cpus: 1 }), { seq: 1, prefetch: 0 }).jobs.map((j) => j.lease)).toEqual(['big#1']);
    scheduler.complete({ ...ok('big#1'), exitCode: null, signal: 'SIGKILL' });
    const retry = scheduler.assign(worker({ cpus: 1 }), { seq: 2, prefetch: 0 }).jobs;
    // Doubled to 2000 MiB, but capped at what a worker has.
    expect(retry.map((j) => [j.lease, j.memoryMiB])).toEqual([['big#2', 1500]]);
    expect(recorder.ended[0]).toMatchObject({ job: 'big', attempt: 1, state: 'failed', signal: 'SIGKILL' });
  });

  it('requeues the job of a lost worker without using a retry, then fails it once it lost workers too often', () => {
    const { scheduler, recorder } = makeScheduler([sized('a', 1, 100)]);
    scheduler.assign(worker(), { seq: 1, prefetch: 0 });
    scheduler.lose('a#1', 'worker w1 silent');
    expect(recorder.states.get('a')).toBe('ready');
    scheduler.assign(worker({ id: 'w2' }), { seq: 1, prefetch: 0 });
    scheduler.lose('a#2', 'answer never arrived', { free: true });
    scheduler.assign(worker({ id: 'w3' }), { seq: 1, prefetch: 0 });
    scheduler.lose('a#3', 'worker w3 silent');
    expect(recorder.ended.map((e) => [e.attempt, e.state, e.reason])).toEqual([[1, 'lost', 'worker w1 silent'], [2, 'lost', 'answer never arrived'], [3, 'lost', 'worker w3 silent']]);
    expect(recorder.states.get('a')).toBe('failed');
    expect(scheduler.isFinished()).toBe(true);
  });

  it('keeps a job off a block that ends before its label runtime estimate, and says so', () => {
    let now = 0;
    const jobs = [sized('t_1', 1, 100), sized('t_2', 1, 100), sized('u_1', 1, 100)];
    const { scheduler } = makeScheduler(jobs, { now: () => now });
    expect(scheduler.assign(worker({ cpus: 1, endsAt: 20_000 }), { seq: 1, prefetch: 0 }).jobs.map((j) => j.job)).toEqual(['t_1']);
    now = 10_000;
    scheduler.complete({ lease: 't_1#1', exitCode: 0, signal: null, startedAt: 0, endedAt: 10_000 });
    // t's estimate is 12.5 s: it no longer fits the 10 s left; u has no estimate yet and goes.
    const next = scheduler.assign(worker({ cpus: 1, endsAt: 20_000 }), { seq: 2, prefetch: 0 });
    expect(next).toMatchObject({ walltimeBound: true });
    expect(next.jobs.map((j) => j.job)).toEqual(['u_1']);
    expect(scheduler.assign(worker({ id: 'fresh', cpus: 1, endsAt: 100_000 }), { seq: 1, prefetch: 0 }).jobs.map((j) => j.job)).toEqual(['t_2']);
  });

  it('fails at once, with the reason, a job no worker can hold', () => {
    const { scheduler, recorder } = makeScheduler([sized('huge', 8, 100), sized('after', 1, 100, { parents: ['huge'] })], { maxWorker: { cpus: 4, memoryMiB: 8000 } });
    expect(recorder.states.get('huge')).toBe('failed');
    expect(recorder.states.get('after')).toBe('pruned');
    expect(recorder.ended[0]?.reason).toMatch(/needs 8 cores but a pilot worker has 4: raise coresPerNode/);
    expect(scheduler.isFinished()).toBe(true);
  });

  it('skips jobs already done and deletes the rest when aborted', () => {
    const { scheduler, recorder } = makeScheduler([sized('a', 1, 100), sized('b', 1, 100), sized('c', 1, 100, { parents: ['b'] })], { done: new Set(['a']) });
    expect(scheduler.assign(worker(), { seq: 1, prefetch: 0 }).jobs.map((j) => j.job)).toEqual(['b']);
    expect(scheduler.abort().map((l) => [l.id, l.cancelling])).toEqual([['b#1', true]]);
    expect(recorder.states.get('c')).toBe('deleted');
    expect(scheduler.isFinished()).toBe(false);
    scheduler.complete({ ...ok('b#1'), exitCode: null, signal: 'SIGTERM', cancelled: true });
    expect(recorder.states.get('b')).toBe('deleted');
    expect(recorder.states.get('a')).toBe('succeeded');
    expect(scheduler.isFinished()).toBe(true);
  });
});
