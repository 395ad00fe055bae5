import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import {
  decodeWaitStatus, mergeJobStatus, readWrapperStatus, renderBatchScript, runSlurmCommand, submitBatchJob,
} from '../../../src/sites/slurm/index.js';
import { describeSlurm, isSlurmFinal, makeTestDir, slurmEnv, uniqueRunId, waitForJobs } from './slurm-cluster.js';

describeSlurm('Slurm time limits against the dev cluster', () => {
  // Slurm keeps limits in whole minutes (1 s becomes 1:00) and enforces them on a 30 s tick, so a
  // real limit takes 60-90 s. To stay fast the test lowers the running job's limit to 0 with
  // `scontrol update` (root), which the next tick (<= 30 s) enforces exactly like a real limit.
  it('reports a job killed at its time limit as TIMEOUT, an infrastructure failure, with the wrapper saying SIGTERM', async () => {
    const dir = makeTestDir('timeout');
    const statusFile = join(dir, 'status.json');
    const script = join(dir, 'job.sh');
    writeFileSync(script, renderBatchScript({
      name: uniqueRunId('timeout'), cpus: 1, memoryMb: 100, walltimeSeconds: 1,
      stdout: join(dir, 'job.out'), stderr: join(dir, 'job.err'), workDir: dir,
      tasks: [{ commands: [['sleep', '300']], statusFile }],
    }));
    const { jobId } = await submitBatchJob({ env: slurmEnv, scriptPath: script });
    // The shared two-CPU cluster may be busy: allow for queueing before the job starts.
    const running = await waitForJobs([jobId], (r) => r[0]?.state === 'RUNNING', 150_000);
    expect(running[0]!.timeLimit).toBe('1:00');
    await runSlurmCommand(['scontrol', 'update', `JobId=${jobId}`, 'TimeLimit=0'], { env: slurmEnv });
    const rows = await waitForJobs([jobId], (r) => isSlurmFinal(r[0]), 60_000);
    expect(rows[0]).toMatchObject({ state: 'TIMEOUT', reason: 'TimeLimit' });
    const slurmExit = decodeWaitStatus(rows[0]!.rawExitCode!);
    expect(slurmExit).toEqual({ exitCode: null, signal: 'SIGTERM' });
    const wrapper = await readWrapperStatus(statusFile);
    expect(wrapper).toMatchObject({ phase: 'signalled', signal: 'SIGTERM', exitCode: null });
    const merged = mergeJobStatus({ state: rows[0]!.state, reason: rows[0]!.reason, exit: slurmExit }, wrapper);
    expect(merged).toMatchObject({ state: 'FAILED', infrastructure: true, signal: 'SIGTERM', slurmState: 'TIMEOUT' });
    expect(readFileSync(join(dir, 'job.err'), 'utf8')).toMatch(/CANCELLED AT .* DUE TO TIME LIMIT/);
  }, 240_000);
});
