import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { BlockManager, pilotSite, readPilotSettings, readPilotState, writeCoordinatorFile, type PreparedPilotSettings } from '../../../src/sites/pilot/index.js';
import type { SubmitOptions } from '../../../src/sites/index.js';
import { queryJobs } from '../../../src/sites/slurm/index.js';
import { createSilentLogger } from '../../../src/util/index.js';
import { makeJob, makeWorkflow, MemoryRecorder, nodeCommand } from '../site-fixtures.js';
import { describeSlurm } from '../slurm/slurm-cluster.js';
import { makePilotConfig, trackPilotRuns } from './pilot-test-support.js';

const log = createSilentLogger();
const { plugin, cancelLeftovers } = trackPilotRuns();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const ACTIVE = new Set(['PENDING', 'CONFIGURING', 'RUNNING', 'COMPLETING']);

async function start(jobs: Parameters<typeof makeWorkflow>[0], settings: Record<string, unknown> = {}): Promise<{ options: SubmitOptions; recorder: MemoryRecorder; done: Promise<unknown> }> {
  const workflow = makeWorkflow(jobs);
  const prepared = await plugin.prepare({ workflow, config: makePilotConfig(settings), submitPath: workflow.submitPath, cwd: workflow.submitPath, log });
  const recorder = new MemoryRecorder();
  const options: SubmitOptions = { workflow, prepared, recorder, log };
  return { options, recorder, done: plugin.submit(options) };
}

describeSlurm('pilot site blocks on the dev Slurm cluster', () => {
  afterAll(cancelLeftovers);
  it('is cancelled through its coordinator, as bps-ts cancel does: jobs deleted, workers stopped, block ended', async () => {
    const slow = nodeCommand('setTimeout(() => {}, 60000)');
    const run = await start([makeJob({ name: 'slow', commands: [slow] }), makeJob({ name: 'after', parents: ['slow'], commands: [nodeCommand('')] })]);
    while (!run.recorder.started.some((s) => s.job === 'slow')) await sleep(100);
    const running = run.recorder.started.map((s) => ({ job: s.job, attempt: s.attempt, host: s.host, pid: s.pid, pidStart: s.pidStart, siteJobId: s.siteJobId }));
    const cancelledAt = Date.now();
    expect(await pilotSite.cancel({ submitPath: run.options.workflow.submitPath, siteRunId: 'pilot:x', running })).toEqual([]);
    await run.done;
    expect(Date.now() - cancelledAt).toBeLessThan(15_000);
    expect(Object.fromEntries(run.recorder.states)).toEqual({ slow: 'deleted', after: 'deleted' });
    expect(run.recorder.ended).toMatchObject([{ job: 'slow', state: 'deleted', signal: 'SIGTERM' }]);
    const state = readPilotState(run.options.workflow.submitPath)!;
    expect(state.blocks.map((b) => b.state)).toEqual(['ended']);
    const rows = await queryJobs({ jobIds: state.blocks.map((b) => b.slurmJobId) });
    expect(rows.filter((r) => ACTIVE.has(r.state))).toEqual([]);
    // The worker knew when its block would end: submitted with a 300 s walltime.
    const worker = state.workers[0]!;
    expect(worker.endsAt! - state.blocks[0]!.submittedAt).toBeGreaterThan(290_000);
    expect(worker.endsAt! - state.blocks[0]!.submittedAt).toBeLessThan(310_000);
    expect(existsSync(join(run.options.workflow.submitPath, 'pilot', 'coordinator.json'))).toBe(false);
  }, 90_000);

  it('grows to maxBlocks under load and releases blocks that stay idle', async () => {
    const jobs = Array.from({ length: 4 }, (_, i) => makeJob({ name: `s_${i}`, commands: [nodeCommand('setTimeout(() => {}, 1500)')] }));
    const late = makeJob({ name: 'late', parents: jobs.map((j) => j.name), commands: [nodeCommand('setTimeout(() => {}, 4000)')] });
    const run = await start([...jobs, late], { maxBlocks: 2, idleSeconds: 1 });
    await run.done;
    expect([...run.recorder.states.values()].every((s) => s === 'succeeded')).toBe(true);
    const state = readPilotState(run.options.workflow.submitPath)!;
    expect(state.blocks.length).toBeGreaterThanOrEqual(2);
    // While `late` ran alone, the other block had nothing to do and was let go before the end.
    const reasons = state.blocks.map((b) => b.reason);
    expect(reasons.some((r) => r === 'idle, or too close to its walltime for the jobs left')).toBe(true);
    expect(state.estimates['s']).toBeGreaterThan(1500);
  }, 120_000);

  it('without a coordinator: status calls running attempts lost, and cancel scancels the run blocks only', async () => {
    const workflow = makeWorkflow([makeJob({ name: 'a', commands: [nodeCommand('')] })]);
    const prepared = await plugin.prepare({ workflow, config: makePilotConfig(), submitPath: workflow.submitPath, cwd: workflow.submitPath, log });
    const settings = prepared.settings as unknown as PreparedPilotSettings;
    // A coordinator that died (pid 2^22 + 1 cannot exist) and a block whose worker waits for it.
    writeCoordinatorFile(workflow.submitPath, { version: 1, run: workflow.name, url: 'http://127.0.0.1:9', token: 't', host: (await import('node:os')).hostname(), pid: 4_194_305, pidStart: null, startedAt: 0 });
    const blocks = new BlockManager({ submitPath: workflow.submitPath, runName: workflow.name, comment: settings.comment, cwd: workflow.submitPath, settings: { ...readPilotSettings(makePilotConfig()), ...settings }, log });
    const block = await blocks.submitBlock();
    const running = [{ job: 'a', attempt: 1, host: 'vm', pid: 1, pidStart: null, siteJobId: block.slurmJobId }];
    expect(await pilotSite.status({ submitPath: workflow.submitPath, siteRunId: 'pilot:x', running })).toMatchObject([{ job: 'a', attempt: 1, state: 'lost' }]);
    expect(await pilotSite.cancel({ submitPath: workflow.submitPath, siteRunId: 'pilot:x', running })).toMatchObject([{ job: 'a', state: 'deleted' }]);
    let rows = await queryJobs({ jobIds: [block.slurmJobId] });
    for (const until = Date.now() + 15_000; rows.some((r) => ACTIVE.has(r.state)) && Date.now() < until; rows = await queryJobs({ jobIds: [block.slurmJobId] })) await sleep(200);
    expect(rows.map((r) => r.state)).toEqual(['CANCELLED']);
  }, 60_000);
});
