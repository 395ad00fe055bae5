import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { runJobProcesses } from '../../../src/sites/pilot/index.js';
import { makeJob, nodeCommand } from '../site-fixtures.js';
import { projectRoot } from '../../support/cli.js';
import { sleep, startHarness, startWorker, type Harness } from './coordinator-harness.js';

const bpsTs = join(projectRoot, 'dist/cli/bps-ts.js');

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('pilot worker processes (bps-ts _pilot-worker, built in dist/)', () => {
  it('a worker killed with SIGKILL mid-job is declared lost after its heartbeat timeout; its job runs again elsewhere', async () => {
    if (!existsSync(bpsTs)) throw new Error(`${bpsTs} is missing: run \`npm run build\` first`);
    const submitPath = mkdtempSync(join(tmpdir(), 'bps-pilot-worker-'));
    const marker = join(submitPath, 'started');
    // First attempt: note its pid, then hang; later attempts: succeed at once.
    const hang = nodeCommand("const f=require('fs');if(f.existsSync(process.argv[1]))process.exit(0);f.writeFileSync(process.argv[1],String(process.pid));setTimeout(()=>{},60000)", marker);
    harness = await startHarness([makeJob({ name: 'victim', commands: [hang] })], { heartbeatTimeoutMs: 1500, submitPath });
    const worker = execa('node', [bpsTs, '_pilot-worker', '--submit-path', harness.submitPath, '--block', 'b9', '--cpus', '1', '--memory', '4000'], { reject: false, env: { BPS_LOG_LEVEL: 'warn' } });
    while (!existsSync(marker) || readFileSync(marker, 'utf8') === '') await sleep(50);
    worker.kill('SIGKILL');
    await worker;
    // The job ran in its own process group: it outlives the worker (on a cgroup cluster Slurm ends it with the step).
    process.kill(Number(readFileSync(marker, 'utf8')), 'SIGKILL');
    const killedAt = Date.now();
    const rescue = startWorker(harness, { runJob: runJobProcesses, blockId: 'b10' });
    await harness.finished(15_000);
    const ends = harness.recorder.ended.map((e) => [e.attempt, e.state]);
    expect(ends).toEqual([[1, 'lost'], [2, 'succeeded']]);
    expect(harness.recorder.ended[0]?.reason).toMatch(/^worker b9\.\S+ on \S+ was silent for \d+ s$/);
    expect(Date.now() - killedAt).toBeGreaterThan(1000);
    expect(harness.recorder.started.map((s) => s.pid)).toEqual([worker.pid, process.pid]);
    expect(harness.recorder.states.get('victim')).toBe('succeeded');
    await harness.close();
    harness = undefined;
    expect((await rescue).reason).toBe('stopped');
  });

  it('a worker with no coordinator gives up after its orphan timeout and exits non-zero', async () => {
    harness = await startHarness([makeJob({ name: 'x', commands: [['true']] })]);
    const { submitPath } = harness;
    await harness.crash();
    harness = undefined;
    const started = Date.now();
    mkdirSync(join(submitPath, 'pilot'), { recursive: true });
    writeFileSync(join(submitPath, 'pilot', 'pilot-site.json'), JSON.stringify({ killGraceSeconds: 1, workerOrphanSeconds: 1.5 }));
    const result = await execa('node', [bpsTs, '_pilot-worker', '--submit-path', submitPath, '--block', 'b1', '--cpus', '1', '--memory', '100'], { reject: false, env: { BPS_LOG_LEVEL: 'warn' } });
    expect(result.exitCode).toBe(10);
    expect(Date.now() - started).toBeGreaterThan(1500);
    expect(result.stderr).toContain('no coordinator for too long');
  });
});
