import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isOutOfMemoryEnd, queryJobs, slurmSite, toPayloadExit } from '../../../src/sites/slurm/index.js';
import { makeJob, makeWorkflow, nodeCommand } from '../site-fixtures.js';
import { describeSlurm, waitForJobs } from './slurm-cluster.js';
import { followToEnd, ledgerOf, submitSlurmRun } from './slurm-site-support.js';

/** Appends `name` to `order`; fails with `code` the first time (while `marker` does not exist). */
function failOnceCommand(order: string, marker: string, name: string, code: number): string[] {
  return nodeCommand(
    "const f=require('fs');const [o,m,n,c]=process.argv.slice(1);if(!f.existsSync(m)){f.writeFileSync(m,'');f.appendFileSync(o,n+'-fail\\n');process.exit(Number(c))}f.appendFileSync(o,n+'\\n')",
    order, marker, name, String(code),
  );
}

function appendCommand(order: string, name: string): string[] {
  return nodeCommand("require('fs').appendFileSync(process.argv[1], process.argv[2] + '\\n')", order, name);
}

describe('slurm attempt ends', () => {
  it('reads a shell exit of 128+n as signal n, and SIGKILL or OUT_OF_MEMORY as out of memory', () => {
    expect(toPayloadExit({ exitCode: 137, signal: null })).toEqual({ exitCode: null, signal: 'SIGKILL' });
    expect(toPayloadExit({ exitCode: 143, signal: null })).toEqual({ exitCode: null, signal: 'SIGTERM' });
    expect(toPayloadExit({ exitCode: 9, signal: null })).toEqual({ exitCode: 9, signal: null });
    expect(toPayloadExit({ exitCode: 255, signal: null })).toEqual({ exitCode: 255, signal: null });
    expect(isOutOfMemoryEnd({ exitCode: null, signal: 'SIGKILL' }, null)).toBe(true);
    expect(isOutOfMemoryEnd({ exitCode: 1, signal: null }, 'OUT_OF_MEMORY')).toBe(true);
    expect(isOutOfMemoryEnd({ exitCode: null, signal: 'SIGTERM' }, 'TIMEOUT')).toBe(false);
  });
});

describeSlurm('slurm retries over afterok dependencies on the dev cluster', () => {
  it('retries a failed job and runs its children, submitted upfront, after the retry under their first Slurm ids', async () => {
    const dir = makeWorkflow([]).submitPath;
    const order = join(dir, 'order.txt');
    const run = await submitSlurmRun([
      makeJob({ name: 'a', retries: 2, commands: [failOnceCommand(order, join(dir, 'a.marker'), 'a', 7)] }),
      makeJob({ name: 'b', parents: ['a'], commands: [appendCommand(order, 'b')] }),
      makeJob({ name: 'c', parents: ['b'], commands: [appendCommand(order, 'c')] }),
    ], { submitPath: dir });
    const upfront = ledgerOf(dir).latest;
    await followToEnd(run);
    expect(readFileSync(order, 'utf8').trim().split('\n')).toEqual(['a-fail', 'a', 'b', 'c']);
    expect(Object.fromEntries(run.recorder.states)).toEqual({ a: 'succeeded', b: 'succeeded', c: 'succeeded' });
    expect(run.recorder.ended.filter((e) => e.job === 'a').map((e) => [e.attempt, e.state, e.exitCode])).toEqual([[1, 'failed', 7], [2, 'succeeded', 0]]);
    const { all } = ledgerOf(dir);
    expect(all.filter((e) => e.job === 'a').map((e) => e.attempt)).toEqual([1, 2]);
    expect(new Set(all.filter((e) => e.job === 'a').map((e) => e.jobId)).size).toBe(2);
    // b and c were never submitted again: Slurm ran the jobs queued at submit, their dependency moved to a's retry.
    for (const j of ['b', 'c']) {
      expect(all.filter((e) => e.job === j)).toHaveLength(1);
      expect(run.recorder.attemptsOf(j).map((a) => a.siteJobId)).toEqual([upfront.get(j)!.jobId]);
    }
  }, 150_000);

  it('holds a final job whose parent may be retried, and releases it only after the retry', async () => {
    const dir = makeWorkflow([]).submitPath;
    const order = join(dir, 'order.txt');
    const run = await submitSlurmRun([
      makeJob({ name: 'p', retries: 1, commands: [failOnceCommand(order, join(dir, 'p.marker'), 'p', 5)] }),
      makeJob({ name: 'q', commands: [appendCommand(order, 'q')] }),
      makeJob({ name: 'final', kind: 'final', parents: ['p', 'q'], runAlways: true, commands: [appendCommand(order, 'final')] }),
    ], { submitPath: dir });
    const { latest } = ledgerOf(dir);
    expect(latest.get('final')).toMatchObject({ held: true });
    expect(latest.get('q')).toMatchObject({ held: false });
    const [held] = await queryJobs({ jobIds: [latest.get('final')!.jobId] });
    expect(held).toMatchObject({ state: 'PENDING', reason: 'JobHeldUser' });
    await followToEnd(run);
    const lines = readFileSync(order, 'utf8').trim().split('\n');
    expect(lines.at(-1)).toBe('final');
    expect(lines.indexOf('p')).toBeGreaterThan(lines.indexOf('p-fail'));
    expect(lines.indexOf('p')).toBeLessThan(lines.indexOf('final'));
    expect(Object.fromEntries(run.recorder.states)).toEqual({ p: 'succeeded', q: 'succeeded', final: 'succeeded' });
    expect(run.recorder.attemptsOf('final').map((a) => a.siteJobId)).toEqual([latest.get('final')!.jobId]);
  }, 150_000);

  it('never cancels from status a child whose failed parent still has a retry coming', async () => {
    const dir = makeWorkflow([]).submitPath;
    const order = join(dir, 'order.txt');
    const run = await submitSlurmRun([
      makeJob({ name: 'a', retries: 1, commands: [failOnceCommand(order, join(dir, 'a.marker'), 'a', 7)] }),
      makeJob({ name: 'b', parents: ['a'], commands: [appendCommand(order, 'b')] }),
    ], { submitPath: dir });
    const { latest } = ledgerOf(dir);
    const [aId, bId] = [latest.get('a')!.jobId, latest.get('b')!.jobId];
    // No follower yet: Slurm alone leaves b pending on DependencyNeverSatisfied.
    await waitForJobs([aId, bId], (rows) => rows.some((r) => r.jobId === bId && r.reason === 'DependencyNeverSatisfied'), 60_000);
    // `bps-ts status` from another shell, even handed b as if it were running:
    const running = [aId, bId].map((id, i) => ({ job: i === 0 ? 'a' : 'b', attempt: 1, host: 'vm', pid: null, pidStart: null, siteJobId: id }));
    const ends = await slurmSite.status({ submitPath: dir, siteRunId: run.siteRunId, running });
    expect(ends.map((e) => [e.job, e.state, e.exitCode])).toEqual([['a', 'failed', 7]]);
    const [b] = await queryJobs({ jobIds: [bId] });
    expect(b).toMatchObject({ state: 'PENDING', reason: 'DependencyNeverSatisfied' });
    await followToEnd(run);
    expect(Object.fromEntries(run.recorder.states)).toEqual({ a: 'succeeded', b: 'succeeded' });
    expect(run.recorder.attemptsOf('b').map((x) => x.siteJobId)).toEqual([bId]);
  }, 150_000);

  it('scales memory after a SIGKILL and records a retry Slurm refuses as the job failing for good', async () => {
    const dir = makeWorkflow([]).submitPath;
    const killed = nodeCommand("process.kill(process.pid, 'SIGKILL')");
    const base = makeJob({ name: 'huge', retries: 3, memory: 12000, commands: [killed] });
    const huge = { ...base, resources: { ...base.resources, requestMemoryMax: null, memoryLimit: 1_000_000 } };
    const run = await submitSlurmRun([huge, makeJob({ name: 'child', parents: ['huge'], commands: [nodeCommand('')] })], { submitPath: dir });
    await followToEnd(run);
    // 12000 MiB ran and was killed; 24000 MiB is more than the node has, so sbatch refuses the retry.
    expect(run.recorder.attemptsOf('huge').map((a) => a.memoryMiB)).toEqual([12000]);
    expect(run.recorder.ended.filter((e) => e.job === 'huge')).toMatchObject([{ attempt: 1, state: 'failed', signal: 'SIGKILL', reason: expect.stringContaining('Memory specification can not be satisfied') }]);
    expect(Object.fromEntries(run.recorder.states)).toEqual({ huge: 'failed', child: 'pruned' });
  }, 150_000);
});
