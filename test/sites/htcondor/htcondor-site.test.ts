// Contract tests: HTCondor cannot be installed here, so the site plugin drives the TEST-ONLY
// fake condor_* tools of test/fixtures/htcondor/fake-bin (put first on PATH for this file).
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followHtcondorRun, HtcondorRunPoller } from '../../../src/sites/htcondor/index.js';
import { getSitePlugin, SITE_PLUGINS, type SubmitOptions } from '../../../src/sites/index.js';
import { createSilentLogger } from '../../../src/util/index.js';
import { runSiteConformance } from '../conformance.js';
import { appendNameCommand, makeJob, makeSiteConfig, makeWorkflow, MemoryRecorder, nodeCommand } from '../site-fixtures.js';
import { fakeBin } from './htcondor-test-support.js';

const stateDir = mkdtempSync(join(tmpdir(), 'bps-fake-schedd-'));
const savedPath = process.env['PATH'];
// Set at import time: the conformance suite's tests are collected before beforeAll runs.
process.env['PATH'] = `${fakeBin}:${savedPath ?? ''}`;
process.env['FAKE_CONDOR_STATE_DIR'] = stateDir;
beforeAll(() => {
  for (const tool of ['condor_submit_dag', 'condor_q', 'condor_history', 'condor_rm']) chmodSync(join(fakeBin, tool), 0o755);
});
afterAll(() => {
  process.env['PATH'] = savedPath;
  delete process.env['FAKE_CONDOR_STATE_DIR'];
  rmSync(stateDir, { recursive: true, force: true });
});

const plugin = getSitePlugin('htcondor');
const config = () => makeSiteConfig('htcondor', { memoryLimit: 16384 });
const log = createSilentLogger();
const follow = (options: SubmitOptions, siteRunId: string): Promise<void> => followHtcondorRun(options, siteRunId, { intervalMs: 100, timeoutMs: 40_000 });

describe('HTCondor site (contract test against the fake condor_* tools)', () => {
  runSiteConformance({ plugin, config, waitUntilFinished: follow, timeoutMs: 45_000 });

  it('is registered in the static site map and does not run in the driver', () => {
    expect(SITE_PLUGINS['htcondor']).toBe(plugin);
    expect(plugin.capabilities).toEqual({ runsInDriver: false, retries: true, memoryScaling: true });
  });

  it('grows memory after a memory hold, and a resubmitted DAG completes from its rescue file without rerunning done jobs', async () => {
    const workflow = makeWorkflow([]);
    const order = join(workflow.submitPath, 'order.txt');
    const gate = join(workflow.submitPath, 'gate');
    const gated = nodeCommand("const f=require('fs');if(!f.existsSync(process.argv[1]))process.exit(3);f.appendFileSync(process.argv[2],'g\\n')", gate, order);
    const jobs = [
      makeJob({ name: 'm', memory: 100, retries: 3, commands: [appendNameCommand(order, 'm')] }),
      makeJob({ name: 'g', commands: [gated] }),
      makeJob({ name: 'c', parents: ['g', 'm'], commands: [appendNameCommand(order, 'c')] }),
      makeJob({ name: 'final', kind: 'final', parents: ['c'], runAlways: true, commands: [appendNameCommand(order, 'final')] }),
    ];
    const wf = { ...workflow, jobs };
    const prepared = await plugin.prepare({ workflow: wf, config: config(), submitPath: wf.submitPath, cwd: wf.submitPath, log });
    const first = new MemoryRecorder();
    process.env['FAKE_CONDOR_MEMORY_USAGE'] = 'm=150';
    const firstOptions: SubmitOptions = { workflow: wf, prepared, recorder: first, log };
    const firstRun = await plugin.submit(firstOptions).finally(() => delete process.env['FAKE_CONDOR_MEMORY_USAGE']);
    expect(firstRun).toMatchObject({ siteRunId: expect.stringMatching(/^htcondor:\d+$/), finished: false });
    await follow(firstOptions, firstRun.siteRunId);
    expect(Object.fromEntries(first.states)).toEqual({ m: 'succeeded', g: 'failed', c: 'pruned', final: 'succeeded' });
    expect(first.attemptsOf('m').map((a) => a.memoryMiB)).toEqual([100, 200]);
    expect(first.ended.find((e) => e.job === 'm' && e.attempt === 1)).toMatchObject({ state: 'failed', reason: expect.stringMatching(/held: .*memory/) });
    expect(first.ended.find((e) => e.job === 'g')).toMatchObject({ state: 'failed', exitCode: 3 });
    expect(existsSync(`${String(prepared.settings['dagFile'])}.rescue001`)).toBe(true);

    rmSync(order);
    writeFileSync(gate, 'open');
    const second = new MemoryRecorder();
    const secondOptions: SubmitOptions = { workflow: wf, prepared, recorder: second, log, previousAttempts: new Map([['g', 1]]) };
    const secondRun = await plugin.submit(secondOptions);
    await follow(secondOptions, secondRun.siteRunId);
    expect(readFileSync(order, 'utf8')).toBe('g\nc\nfinal\n');
    expect(second.attemptsOf('m')).toEqual([]);
    expect(second.attemptsOf('g').map((a) => a.attempt)).toEqual([2]);
    expect(Object.fromEntries(second.states)).toMatchObject({ g: 'succeeded', c: 'succeeded', final: 'succeeded' });
  }, 60_000);

  it('reports ends through status and removes the DAG with cancel', async () => {
    const jobs = [makeJob({ name: 'slow', commands: [nodeCommand('setTimeout(() => {}, 60000)')] }), makeJob({ name: 'after', parents: ['slow'], commands: [nodeCommand('')] })];
    const wf = makeWorkflow(jobs);
    const prepared = await plugin.prepare({ workflow: wf, config: config(), submitPath: wf.submitPath, cwd: wf.submitPath, log });
    const recorder = new MemoryRecorder();
    const options: SubmitOptions = { workflow: wf, prepared, recorder, log };
    const { siteRunId } = await plugin.submit(options);
    const poller = new HtcondorRunPoller(options, siteRunId);
    for (let i = 0; i < 100 && recorder.attemptsOf('slow').length === 0; i++) {
      poller.poll();
      await new Promise((r) => setTimeout(r, 100));
    }
    const slow = recorder.attemptsOf('slow')[0]!;
    expect(slow.siteJobId).toMatch(/^\d+\.0$/);
    const running = [{ job: 'slow', attempt: 1, host: slow.host, pid: null, pidStart: null, siteJobId: slow.siteJobId }];
    expect(await plugin.status({ submitPath: wf.submitPath, siteRunId, running })).toEqual([]);
    const cancelled = await plugin.cancel({ submitPath: wf.submitPath, siteRunId, running });
    expect(cancelled).toEqual([expect.objectContaining({ job: 'slow', attempt: 1, state: 'deleted' })]);
    await follow(options, siteRunId);
    expect(await plugin.status({ submitPath: wf.submitPath, siteRunId, running })).toEqual([expect.objectContaining({ job: 'slow', attempt: 1, state: 'deleted' })]);
    expect(Object.fromEntries(recorder.states)).toMatchObject({ slow: 'deleted', after: 'deleted' });
  }, 30_000);
});

