import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compileErrorPatterns, DEFAULT_ERROR_PATTERNS, extractErrorLines, locateRunState, parseAmendments, readRunStatus, RunIndex, RUN_STATE_FILE, RunNotFoundError, RunStateStore, type RunMetadata,
} from '../../src/bps/index.js';
import { InvalidInputError, UsageError } from '../../src/errors/index.js';
import { makeJob, makeWorkflow } from '../sites/site-fixtures.js';

function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim());
}

function newRun(id = `run_${Math.random().toString(36).slice(2, 8)}`): { store: RunStateStore; meta: RunMetadata; dir: string } {
  const workflow = makeWorkflow([makeJob({ name: 'init', kind: 'init', commands: [] }), makeJob({ name: 'a_1', parents: ['init'], commands: [], memory: 2048 }), makeJob({ name: 'final', kind: 'final', parents: ['a_1'], runAlways: true, commands: [] })]);
  const meta: RunMetadata = {
    id, submitPath: workflow.submitPath, operator: 'op', project: 'proj', campaign: 'camp', payload: 'pay', outputRun: `u/op/${id}`, computeSite: 'local', siteType: 'local',
    configFile: '/c.yaml', repo: 'repo', graphFile: '/g.qg', workflowFile: '/w.json', cwd: '/', user: 'tester', createdAt: new Date().toISOString(), errorPatterns: ['ERROR'], prepared: { siteType: 'local' },
  };
  const store = RunStateStore.create(join(workflow.submitPath, RUN_STATE_FILE), meta, workflow);
  return { store, meta, dir: workflow.submitPath };
}

describe('run state store', () => {
  it('keeps metadata, jobs, attempts and submissions across openings', () => {
    const { store, meta, dir } = newRun();
    const n = store.beginSubmission({ kind: 'submit', startedAt: 1, driverHost: hostname(), driverPid: 42, driverPidStart: null, amendments: [] });
    store.attemptStarted({ job: 'a_1', attempt: 1, host: 'h', pid: 7, pidStart: 9, siteJobId: null, memoryMiB: 4096, startedAt: 10, stdout: '/o', stderr: '/e' });
    store.attemptEnded({ job: 'a_1', attempt: 1, state: 'failed', exitCode: 9, signal: null, endedAt: 20 });
    store.setJobState('a_1', 'failed');
    store.close();
    const again = RunStateStore.open(join(dir, RUN_STATE_FILE));
    expect(again.metadata()).toMatchObject({ id: meta.id, errorPatterns: ['ERROR'], prepared: { siteType: 'local' } });
    expect(again.jobs().map((j) => [j.name, j.state, j.memoryMiB])).toEqual([['init', 'unready', 1024], ['a_1', 'failed', 4096], ['final', 'unready', 1024]]);
    expect(again.attempts('a_1')).toEqual([expect.objectContaining({ number: 1, submission: n, state: 'failed', exitCode: 9, memoryMiB: 4096, pid: 7, pidStart: 9, stdout: '/o' })]);
    expect(again.submissions()).toEqual([expect.objectContaining({ number: n, kind: 'submit', driverPid: 42, amendments: [] })]);
    again.resetJobs(['a_1']);
    expect(again.jobs()[1]?.state).toBe('unready');
    expect(again.jobs()[1]?.memoryMiB).toBe(4096);
    again.close();
  });

  it('refuses to create a run twice and to open a missing one', () => {
    const { store, meta, dir } = newRun();
    store.close();
    expect(() => RunStateStore.create(join(dir, RUN_STATE_FILE), meta, makeWorkflow([]))).toThrow(/already exists/);
    expect(() => RunStateStore.open(join(dir, 'nope.sqlite3'))).toThrow(RunNotFoundError);
  });

  it('marks attempts of a dead driver lost and calls the run interrupted', async () => {
    const { store } = newRun();
    store.beginSubmission({ kind: 'submit', startedAt: 1, driverHost: hostname(), driverPid: deadPid(), driverPidStart: null, amendments: [] });
    store.setJobState('init', 'succeeded');
    store.attemptStarted({ job: 'a_1', attempt: 1, host: hostname(), pid: deadPid(), pidStart: null, siteJobId: null, memoryMiB: 1, startedAt: 1, stdout: '/o', stderr: '/e' });
    const status = await readRunStatus(store);
    expect(status.state).toBe('interrupted');
    expect(status.driverAlive).toBe(false);
    expect(status.jobCounts).toMatchObject({ succeeded: 1, lost: 1, unready: 1 });
    expect(store.attempts('a_1')[0]).toMatchObject({ state: 'lost' });
    store.close();
  });

  it('calls a run whose driver lives running, and one whose jobs all succeeded succeeded', async () => {
    const { store } = newRun();
    const n = store.beginSubmission({ kind: 'submit', startedAt: 1, driverHost: hostname(), driverPid: process.pid, driverPidStart: null, amendments: [] });
    expect((await readRunStatus(store)).state).toBe('running');
    for (const j of ['init', 'a_1', 'final']) store.setJobState(j, 'succeeded');
    store.endSubmission(n);
    const done = await readRunStatus(store);
    expect(done.state).toBe('succeeded');
    expect(done.percentSucceeded).toBe(100);
    store.setJobState('a_1', 'failed');
    store.setJobState('final', 'succeeded');
    expect((await readRunStatus(store)).state).toBe('failed');
    store.close();
  });
});

describe('run index', () => {
  it('finds runs by id, unique prefix, output-run spelling or submit directory', () => {
    const home = mkdtempSync(join(tmpdir(), 'bps-home-'));
    const a = newRun('u_op_demo_20240101T000000Z');
    const b = newRun('u_op_demo_20240102T000000Z');
    const index = RunIndex.open(home);
    index.add(a.meta);
    index.add({ ...b.meta, user: 'someone', createdAt: new Date(Date.now() - 10 * 86_400_000).toISOString() });
    expect(index.find('u_op_demo_20240101T000000Z')?.submitPath).toBe(a.dir);
    expect(index.find('u/op/demo/20240102T000000Z')?.submitPath).toBe(b.dir);
    expect(() => index.find('u_op_demo_202401')).toThrow(UsageError);
    expect(index.find('u_op_demo_20240102')?.id).toBe('u_op_demo_20240102T000000Z');
    expect(index.list({ sinceMs: Date.now() - 86_400_000 }).map((r) => r.id)).toEqual(['u_op_demo_20240101T000000Z']);
    expect(index.list({ user: 'someone' }).map((r) => r.id)).toEqual(['u_op_demo_20240102T000000Z']);
    index.close();
    expect(locateRunState({ id: 'u_op_demo_20240101', home })).toBe(join(a.dir, RUN_STATE_FILE));
    expect(locateRunState({ id: b.dir, home })).toBe(join(b.dir, RUN_STATE_FILE));
    expect(() => locateRunState({ id: 'nothing_like_it', home })).toThrow(RunNotFoundError);
    a.store.close();
    b.store.close();
  });
});

describe('error lines', () => {
  it('picks the last matching lines of a log with the default patterns', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bps-log-'));
    const file = join(dir, 'job.err');
    writeFileSync(file, ['INFO starting', 'ERROR Failed isr: bad flat', 'some detail', 'ValueError: x must be > 0', 'INFO done', '{"level":50,"msg":"boom"}'].join('\n'));
    expect(extractErrorLines(file, { patterns: compileErrorPatterns(DEFAULT_ERROR_PATTERNS) })).toEqual(['ERROR Failed isr: bad flat', 'ValueError: x must be > 0', '{"level":50,"msg":"boom"}']);
    expect(extractErrorLines(file, { patterns: compileErrorPatterns(['detail']), maxLines: 1 })).toEqual(['some detail']);
    expect(extractErrorLines(join(dir, 'missing'), { patterns: compileErrorPatterns(['x']) })).toEqual([]);
  });

  it('rejects an invalid pattern, naming it', () => {
    expect(() => compileErrorPatterns(['(unclosed'])).toThrow(InvalidInputError);
    expect(() => compileErrorPatterns(['(unclosed'])).toThrow(/\(unclosed/);
  });
});

describe('restart amendments', () => {
  it('parses label:key=value, an empty value clearing the key', () => {
    expect(parseAmendments(['processCcd:injectFailure=', 'isr:doBias=False'])).toEqual([{ label: 'processCcd', key: 'injectFailure', value: '' }, { label: 'isr', key: 'doBias', value: 'False' }]);
    expect(() => parseAmendments(['injectFailure='])).toThrow(UsageError);
  });
});

