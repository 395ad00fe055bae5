import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { GenericWorkflowJob } from '../../../src/workflow/index.js';
import { callCoordinator, pilotPaths, readCoordinatorFile, type PilotJobSpec, type RunPilotJob } from '../../../src/sites/pilot/index.js';
import { makeJob } from '../site-fixtures.js';
import { sleep, startHarness, startWorker, type Harness } from './coordinator-harness.js';

function job(name: string, extra: { parents?: string[]; cpus?: number; memory?: number } = {}): GenericWorkflowJob {
  const j = makeJob({ name, commands: [['true']], memory: extra.memory ?? 100, ...(extra.parents ? { parents: extra.parents } : {}) });
  return { ...j, resources: { ...j.resources, requestCpus: extra.cpus ?? 1 } };
}

/** A hook that records starts and ends and takes `ms` per job. */
function timedHook(ms: (spec: PilotJobSpec) => number, log: { job: string; start: number; end: number }[]): RunPilotJob {
  return async (spec) => {
    const start = Date.now();
    await sleep(ms(spec));
    log.push({ job: spec.job, start, end: Date.now() });
    return { exitCode: 0, signal: null };
  };
}

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('pilot coordinator and workers over loopback HTTP', () => {
  it('runs a workflow through two workers: each job once, children after parents', async () => {
    const jobs = [job('init'), ...Array.from({ length: 40 }, (_, i) => job(`a_${i}`, { parents: ['init'] })), job('final', { parents: Array.from({ length: 40 }, (_, i) => `a_${i}`) })];
    harness = await startHarness(jobs, { settings: { prefetch: 4 } });
    const runs: { job: string; start: number; end: number }[] = [];
    const hook = timedHook(() => 5, runs);
    const workers = [startWorker(harness, { runJob: hook, cpus: 2, blockId: 'b1' }), startWorker(harness, { runJob: hook, cpus: 2, blockId: 'b2' })];
    await harness.finished();
    await harness.close();
    harness = undefined;
    const summaries = await Promise.all(workers);
    expect(summaries.map((s) => s.reason)).toEqual(['stopped', 'stopped']);
    expect(runs.map((r) => r.job).sort()).toEqual(jobs.map((j) => j.name).sort());
    const at = new Map(runs.map((r) => [r.job, r]));
    for (let i = 0; i < 40; i++) expect(at.get(`a_${i}`)!.start).toBeGreaterThanOrEqual(at.get('init')!.end);
    expect(at.get('final')!.start).toBeGreaterThanOrEqual(Math.max(...runs.filter((r) => r.job.startsWith('a_')).map((r) => r.end)));
    expect(summaries[0]!.jobs + summaries[1]!.jobs).toBe(42);
    expect(summaries.every((s) => s.jobs > 0)).toBe(true);
  });

  it('sends results that end together in one request, which brings the next jobs back', async () => {
    const jobs = Array.from({ length: 8 }, (_, i) => job(`j_${i}`));
    harness = await startHarness(jobs);
    let release: () => void = () => {};
    let started = 0;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const hook: RunPilotJob = async () => {
      if (++started === 4) release();
      await gate;
      return { exitCode: 0, signal: null };
    };
    const w = startWorker(harness, { runJob: hook, cpus: 4 });
    await harness.finished();
    const record = harness.service.registry.all()[0]!;
    // One request got four jobs, one brought back four results and got four more, one brought those back.
    expect(record.jobsDone).toBe(8);
    expect(record.lastSeq).toBeLessThanOrEqual(4);
    await harness.close();
    harness = undefined;
    await w;
  });

  it('never runs more than a worker has room for, in cores and in memory', async () => {
    const jobs = [
      ...Array.from({ length: 6 }, (_, i) => job(`small_${i}`, { memory: 1000 })),
      ...Array.from({ length: 3 }, (_, i) => job(`wide_${i}`, { cpus: 2, memory: 500 })),
      ...Array.from({ length: 3 }, (_, i) => job(`fat_${i}`, { memory: 2500 })),
    ];
    harness = await startHarness(jobs, { settings: { prefetch: 3 } });
    let cpus = 0;
    let memory = 0;
    let peak = { cpus: 0, memory: 0 };
    const hook: RunPilotJob = async (spec) => {
      cpus += spec.cpus;
      memory += spec.memoryMiB;
      peak = { cpus: Math.max(peak.cpus, cpus), memory: Math.max(peak.memory, memory) };
      await sleep(30);
      cpus -= spec.cpus;
      memory -= spec.memoryMiB;
      return { exitCode: 0, signal: null };
    };
    const w = startWorker(harness, { runJob: hook, cpus: 2, memoryMiB: 3000 });
    await harness.finished();
    await harness.close();
    harness = undefined;
    await w;
    expect(peak.cpus).toBe(2);
    expect(peak.memory).toBeLessThanOrEqual(3000);
    expect(peak.memory).toBeGreaterThanOrEqual(2000);
  });

  it('holds an idle worker about one heartbeat per request, and hands it new work at once', async () => {
    harness = await startHarness([job('first'), job('second', { parents: ['first'] })], { settings: { heartbeatSeconds: 0.5 } });
    const runs: { job: string; start: number; end: number }[] = [];
    const busy = startWorker(harness, { runJob: timedHook((s) => (s.job === 'first' ? 2000 : 1), runs), blockId: 'b1' });
    await sleep(300);
    const idle = startWorker(harness, { runJob: timedHook(() => 1, runs), blockId: 'b2' });
    await harness.finished();
    const idleWorker = harness.service.registry.all().find((w) => w.blockId === 'b2')!;
    // About 1.7 s idle with a 0.5 s heartbeat: a handful of requests, not a busy loop.
    expect(idleWorker.lastSeq).toBeGreaterThanOrEqual(2);
    expect(idleWorker.lastSeq).toBeLessThanOrEqual(7);
    const first = runs.find((r) => r.job === 'first')!;
    const second = runs.find((r) => r.job === 'second')!;
    expect(second.start - first.end).toBeLessThan(250);
    await harness.close();
    harness = undefined;
    await Promise.all([busy, idle]);
  });

  it('requeues, without using a retry, a job whose answer never reached the worker', async () => {
    harness = await startHarness([job('a')]);
    const { coordinator } = harness.service;
    const worker = { id: 'w-test', blockId: 'b1', host: 'h', pid: 1, cpus: 1, memoryMiB: 1000, endsAt: null };
    const first = await coordinator.exchange({ version: 1, seq: 1, worker, holding: [], results: [], wait: false });
    expect(first.jobs.map((j) => j.lease)).toEqual(['a#1']);
    // The worker says it holds nothing: the answer to request 1 was lost on the way.
    const second = await coordinator.exchange({ version: 1, seq: 2, worker, holding: [], results: [], wait: false });
    expect(second.jobs.map((j) => j.lease)).toEqual(['a#2']);
    expect(harness.recorder.ended).toMatchObject([{ job: 'a', attempt: 1, state: 'lost', reason: 'the answer carrying the job never reached the worker' }]);
    // A lease the coordinator does not know (another coordinator's) is to be dropped.
    const third = await coordinator.exchange({ version: 1, seq: 3, worker, holding: ['a#2', 'ghost#7'], results: [], wait: false });
    expect(third.cancel).toEqual(['ghost#7']);
  });

  it('answers only requests that carry the run token, from a coordinator file only its owner can read', async () => {
    harness = await startHarness([job('a')]);
    const info = readCoordinatorFile(harness.submitPath)!;
    expect(statSync(pilotPaths(harness.submitPath).coordinator).mode & 0o777).toBe(0o600);
    await expect(callCoordinator({ url: info.url, token: 'wrong' }, { method: 'GET', path: '/v1/ping' })).rejects.toMatchObject({ status: 401 });
    expect(await callCoordinator<{ run: string; ready: number }>(info, { method: 'GET', path: '/v1/ping' })).toMatchObject({ run: 'loopback', ready: 1 });
    const { submitPath } = harness;
    await harness.close();
    harness = undefined;
    expect(existsSync(pilotPaths(submitPath).coordinator)).toBe(false);
  });

  it('keeps a worker through a coordinator restart: it finds the new one and drops what the new one does not know', async () => {
    const jobs = [job('slow'), job('quick')];
    const first = await startHarness(jobs);
    const aborted: string[] = [];
    const hook: RunPilotJob = async (spec, io) => {
      if (spec.job === 'slow' && spec.attempt === 1) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 20_000);
          io.signal.addEventListener('abort', () => {
            clearTimeout(t);
            aborted.push(spec.lease);
            resolve();
          });
        });
        return { exitCode: null, signal: 'SIGTERM' };
      }
      return { exitCode: 0, signal: null };
    };
    const worker = startWorker(first, { runJob: hook, cpus: 1 });
    while (!first.recorder.started.some((s) => s.job === 'slow')) await sleep(20);
    // The first coordinator dies without a word (its file stays, pointing nowhere).
    await first.crash();
    await sleep(500);
    harness = await startHarness(jobs, { submitPath: first.submitPath, previousAttempts: new Map([['slow', 1]]) });
    await harness.finished();
    expect(aborted).toEqual(['slow#1']);
    expect(harness.recorder.ended.map((e) => [e.job, e.attempt, e.state]).sort()).toEqual([['quick', 1, 'succeeded'], ['slow', 2, 'succeeded']]);
    expect(harness.service.registry.all().map((w) => w.id)).toHaveLength(1);
    await harness.close();
    harness = undefined;
    expect((await worker).reason).toBe('stopped');
    expect(existsSync(join(first.submitPath, 'pilot', 'coordinator.json'))).toBe(false);
  });
});
