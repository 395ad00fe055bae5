import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BpsConfig } from '../../src/config/index.js';
import { SiteError, type AttemptEnd, type AttemptStart, type JobState, type PreparedSite, type SitePlugin, type SubmitOptions } from '../../src/sites/index.js';
import { createSilentLogger } from '../../src/util/index.js';
import type { GenericWorkflow } from '../../src/workflow/index.js';
import { appendNameCommand, makeJob, makeWorkflow, MemoryRecorder, nodeCommand } from './site-fixtures.js';

/** How the shared suite drives one site. */
export interface SiteConformanceOptions {
  readonly plugin: SitePlugin;
  /** A config selecting this site (e.g. `makeSiteConfig('slurm', { ... })`). */
  readonly config: () => BpsConfig;
  /** Whether the site can run here (a missing batch system skips nothing silently: the suite fails with this message). */
  readonly available?: () => Promise<true | string>;
  /**
   * For sites that do not run in the driver: waits until the submitted run has ended,
   * feeding the recorder (e.g. by polling `status`). Not needed when `runsInDriver`.
   */
  readonly waitUntilFinished?: (options: SubmitOptions, siteRunId: string) => Promise<void>;
  /** Per-test timeout, ms. */
  readonly timeoutMs?: number;
}

/**
 * The behaviour every site plugin must show, run against a real site: prepare writes into the
 * submit directory and rejects missing executables; jobs run in dependency order and every
 * attempt is recorded with its logs; a failure prunes the descendants but not the final job;
 * retries follow `numberOfRetries`/`retryUnlessExit` and continue the attempt numbers; memory
 * grows after an out-of-memory kill; jobs already done are skipped; aborting deletes jobs;
 * ping answers.
 */
export function runSiteConformance(options: SiteConformanceOptions): void {
  const { plugin } = options;
  const timeout = options.timeoutMs ?? 30_000;
  const log = createSilentLogger();

  async function run(workflow: GenericWorkflow, extra: Partial<SubmitOptions> = {}): Promise<{ recorder: MemoryRecorder; prepared: PreparedSite }> {
    const availability = options.available ? await options.available() : true;
    if (availability !== true) throw new Error(`site '${plugin.kind}' is not available here: ${availability}`);
    const prepared = await plugin.prepare({ workflow, config: options.config(), submitPath: workflow.submitPath, cwd: workflow.submitPath, log });
    const recorder = new MemoryRecorder();
    const submitOptions: SubmitOptions = { workflow, prepared, recorder, log, ...extra };
    const result = await plugin.submit(submitOptions);
    if (!result.finished) {
      if (!options.waitUntilFinished) throw new Error(`site '${plugin.kind}' does not run in the driver: give waitUntilFinished`);
      await options.waitUntilFinished(submitOptions, result.siteRunId);
    }
    return { recorder, prepared };
  }

  describe(`site conformance: ${plugin.kind}`, () => {
    it('prepares into the submit directory with JSON-serialisable settings', async () => {
      const workflow = makeWorkflow([makeJob({ name: 'a', commands: [nodeCommand('')] })]);
      const prepared = await plugin.prepare({ workflow, config: options.config(), submitPath: workflow.submitPath, cwd: workflow.submitPath, log });
      expect(prepared.siteType).toBe(plugin.kind);
      for (const f of prepared.files) expect(f.startsWith(workflow.submitPath) && existsSync(f)).toBe(true);
      expect(JSON.parse(JSON.stringify(prepared.settings))).toEqual(prepared.settings);
    });

    it('refuses a workflow whose executable does not exist, naming it', async () => {
      const workflow = makeWorkflow([makeJob({ name: 'a', commands: [['/nonexistent/bin/qg-missing', 'run-qbb']] })]);
      const error = await plugin.prepare({ workflow, config: options.config(), submitPath: workflow.submitPath, cwd: workflow.submitPath, log }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SiteError);
      expect(String((error as Error).message)).toContain('/nonexistent/bin/qg-missing');
    });

    it('runs jobs after their parents and records each attempt with its log files', async () => {
      const workflow = makeWorkflow([]);
      const order = join(workflow.submitPath, 'order.txt');
      const jobs = [
        makeJob({ name: 'init', kind: 'init', commands: [appendNameCommand(order, 'init')] }),
        makeJob({ name: 'a_1', parents: ['init'], commands: [appendNameCommand(order, 'a_1')] }),
        makeJob({ name: 'a_2', parents: ['init'], commands: [appendNameCommand(order, 'a_2')] }),
        makeJob({ name: 'b_1', parents: ['a_1', 'a_2'], commands: [appendNameCommand(order, 'b_1'), nodeCommand("console.log('second command')")] }),
        makeJob({ name: 'final', kind: 'final', parents: ['b_1'], runAlways: true, commands: [appendNameCommand(order, 'final')] }),
      ];
      const { recorder } = await run({ ...workflow, jobs });
      const lines = readFileSync(order, 'utf8').trim().split('\n');
      expect(lines[0]).toBe('init');
      expect(lines.slice(1, 3).sort()).toEqual(['a_1', 'a_2']);
      expect(lines.slice(3)).toEqual(['b_1', 'final']);
      for (const j of jobs) expect(recorder.states.get(j.name)).toBe('succeeded');
      expect(recorder.ended.map((e) => e.state)).toEqual(Array(5).fill('succeeded'));
      const b = recorder.attemptsOf('b_1')[0]!;
      expect(b.attempt).toBe(1);
      expect(readFileSync(b.stdout, 'utf8')).toContain('second command');
    }, timeout);

    it('prunes the descendants of a failed job but still runs the final job', async () => {
      const jobs = [
        makeJob({ name: 'a_1', commands: [nodeCommand('process.exit(3)')] }),
        makeJob({ name: 'a_2', commands: [nodeCommand('')] }),
        makeJob({ name: 'b_1', parents: ['a_1'], commands: [nodeCommand('')] }),
        makeJob({ name: 'c_1', parents: ['b_1', 'a_2'], commands: [nodeCommand('')] }),
        makeJob({ name: 'final', kind: 'final', parents: ['c_1'], runAlways: true, commands: [nodeCommand('')] }),
      ];
      const { recorder } = await run(makeWorkflow(jobs));
      expect(Object.fromEntries(recorder.states)).toEqual({ a_1: 'failed', a_2: 'succeeded', b_1: 'pruned', c_1: 'pruned', final: 'succeeded' });
      expect(recorder.ended.find((e) => e.job === 'a_1')).toMatchObject({ state: 'failed', exitCode: 3, signal: null });
      expect(recorder.attemptsOf('b_1')).toEqual([]);
    }, timeout);

    it('retries a failed job, but not for exit codes in retryUnlessExit', async () => {
      const workflow = makeWorkflow([]);
      const marker = join(workflow.submitPath, 'tried');
      const flaky = nodeCommand("const f=require('fs');if(!f.existsSync(process.argv[1])){f.writeFileSync(process.argv[1],'');process.exit(7)}", marker);
      const jobs = [
        makeJob({ name: 'flaky', retries: 2, commands: [flaky] }),
        makeJob({ name: 'fatal', retries: 2, retryUnlessExit: [9], commands: [nodeCommand('process.exit(9)')] }),
      ];
      const { recorder } = await run({ ...workflow, jobs }, { previousAttempts: new Map([['flaky', 3]]) });
      expect(recorder.attemptsOf('flaky').map((a) => a.attempt)).toEqual([4, 5]);
      expect(recorder.states.get('flaky')).toBe('succeeded');
      expect(recorder.attemptsOf('fatal').map((a) => a.attempt)).toEqual([1]);
      expect(recorder.states.get('fatal')).toBe('failed');
    }, timeout);

    it.runIf(plugin.capabilities.memoryScaling)('multiplies the memory after an out-of-memory kill, and keeps given memory', async () => {
      const workflow = makeWorkflow([]);
      const marker = join(workflow.submitPath, 'oom');
      const oom = nodeCommand("const f=require('fs');if(!f.existsSync(process.argv[1])){f.writeFileSync(process.argv[1],'');process.kill(process.pid,'SIGKILL')}", marker);
      const jobs = [makeJob({ name: 'big', retries: 1, memory: 1000, commands: [oom] }), makeJob({ name: 'kept', memory: 1000, commands: [nodeCommand('')] })];
      const { recorder } = await run({ ...workflow, jobs }, { memoryMiB: new Map([['kept', 3000]]) });
      expect(recorder.attemptsOf('big').map((a) => a.memoryMiB)).toEqual([1000, 2000]);
      expect(recorder.ended.find((e) => e.job === 'big' && e.attempt === 1)).toMatchObject({ state: 'failed', signal: 'SIGKILL' });
      expect(recorder.attemptsOf('kept')[0]?.memoryMiB).toBe(3000);
    }, timeout);

    it('skips jobs already done', async () => {
      const workflow = makeWorkflow([]);
      const order = join(workflow.submitPath, 'order.txt');
      const jobs = [makeJob({ name: 'a_1', commands: [appendNameCommand(order, 'a_1')] }), makeJob({ name: 'b_1', parents: ['a_1'], commands: [appendNameCommand(order, 'b_1')] })];
      const { recorder } = await run({ ...workflow, jobs }, { done: new Set(['a_1']) });
      expect(readFileSync(order, 'utf8')).toBe('b_1\n');
      expect(recorder.attemptsOf('a_1')).toEqual([]);
    }, timeout);

    it('stops running jobs and deletes waiting ones when aborted', async () => {
      const abort = new AbortController();
      const jobs = [makeJob({ name: 'slow', commands: [nodeCommand('setTimeout(() => {}, 60000)')] }), makeJob({ name: 'after', parents: ['slow'], commands: [nodeCommand('')] })];
      const workflow = makeWorkflow(jobs);
      const recorder = new MemoryRecorder();
      const prepared = await plugin.prepare({ workflow, config: options.config(), submitPath: workflow.submitPath, cwd: workflow.submitPath, log });
      let abortedAt = Date.now();
      const spy = { ...recorder, setJobState: (j: string, s: JobState) => recorder.setJobState(j, s), attemptEnded: (a: AttemptEnd) => recorder.attemptEnded(a), attemptStarted: (a: AttemptStart) => { recorder.attemptStarted(a); abortedAt = Date.now(); abort.abort(); } };
      const submitOptions: SubmitOptions = { workflow, prepared, recorder: spy, log, signal: abort.signal };
      const result = await plugin.submit(submitOptions);
      // A site that records a start only once its batch system runs the job is aborted while followed.
      if (!result.finished && options.waitUntilFinished) await options.waitUntilFinished(submitOptions, result.siteRunId);
      expect(abort.signal.aborted).toBe(true);
      expect(Date.now() - abortedAt).toBeLessThan(20_000);
      expect(recorder.states.get('slow')).toBe('deleted');
      expect(recorder.states.get('after')).toBe('deleted');
      expect(recorder.ended.find((e) => e.job === 'slow')?.state).toBe('deleted');
    }, timeout);

    it('answers ping', async () => {
      const result = await plugin.ping({ config: options.config() });
      expect(result.ok).toBe(true);
      expect(result.detail).not.toBe('');
    });
  });
}
