import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { arrayIdOf, groupArrayJobs, MAX_ARRAY_TASKS, queryJobs, queryJobsById, slurmSite, slurmStatusFile } from '../../../src/sites/slurm/index.js';
import { makeJob, makeWorkflow, nodeCommand } from '../site-fixtures.js';
import { describeSlurm } from './slurm-cluster.js';
import { followToEnd, ledgerOf, submitSlurmRun } from './slurm-site-support.js';

const ACTIVE = new Set(['PENDING', 'CONFIGURING', 'RUNNING', 'COMPLETING', 'SUSPENDED']);

describe('grouping jobs into Slurm arrays', () => {
  it('groups same-label jobs with identical requests and parents, and nothing else', () => {
    const jobs = [
      makeJob({ name: 'w_1', parents: ['init'], commands: [] }),
      makeJob({ name: 'w_2', parents: ['init'], commands: [] }),
      makeJob({ name: 'w_3', parents: ['init'], commands: [], memory: 2048 }),
      makeJob({ name: 'w_4', parents: ['other'], commands: [] }),
      makeJob({ name: 'v_1', parents: ['init'], commands: [] }),
      makeJob({ name: 'final', kind: 'final', runAlways: true, commands: [] }),
    ];
    const groups = groupArrayJobs(jobs, (j) => j.resources.requestMemory);
    expect([...groups.keys()]).toEqual(['w_1', 'w_2']);
    expect(groups.get('w_1')!.map((j) => j.name)).toEqual(['w_1', 'w_2']);
    expect(groupArrayJobs(jobs, () => 1000).get('w_3')?.map((j) => j.name)).toEqual(['w_1', 'w_2', 'w_3']);
  });

  it(`splits big groups into arrays of at most ${MAX_ARRAY_TASKS} tasks`, () => {
    const jobs = Array.from({ length: 2 * MAX_ARRAY_TASKS + 1 }, (_, i) => makeJob({ name: `n_${i}`, commands: [] }));
    const groups = groupArrayJobs(jobs, () => 1000);
    expect(new Set(groups.values()).size).toBe(2);
    expect(groups.get('n_0')).toHaveLength(MAX_ARRAY_TASKS);
    expect(groups.has(`n_${2 * MAX_ARRAY_TASKS}`)).toBe(false);
  });

  it('tells an array task id from a plain job id', () => {
    expect(arrayIdOf('12_3')).toBe('12');
    expect(arrayIdOf('12')).toBeUndefined();
  });
});

describeSlurm('slurm job arrays on the dev cluster', () => {
  it('runs same-label jobs as one array with per-job logs, retries one task as a plain job and follows every task', async () => {
    const dir = makeWorkflow([]).submitPath;
    const marker = join(dir, 'w_2.marker');
    const say = nodeCommand("console.log('I am ' + process.env.BPS_TS_JOB_NAME + ' attempt ' + process.env.BPS_TS_JOB_ATTEMPT)");
    const flaky = nodeCommand("const f=require('fs');if(!f.existsSync(process.argv[1])){f.writeFileSync(process.argv[1],'');process.exit(6)}", marker);
    const run = await submitSlurmRun([
      makeJob({ name: 'init', kind: 'init', commands: [say] }),
      makeJob({ name: 'w_1', parents: ['init'], commands: [say] }),
      makeJob({ name: 'w_2', parents: ['init'], retries: 1, commands: [flaky, say] }),
      makeJob({ name: 'w_3', parents: ['init'], commands: [say] }),
      makeJob({ name: 'm_1', parents: ['w_1', 'w_2', 'w_3'], commands: [say] }),
      makeJob({ name: 'final', kind: 'final', parents: ['m_1'], runAlways: true, commands: [say] }),
    ], { submitPath: dir, settings: { useJobArrays: true } });
    const upfront = ledgerOf(dir).latest;
    const array = arrayIdOf(upfront.get('w_1')!.jobId)!;
    expect(['w_1', 'w_2', 'w_3'].map((j) => upfront.get(j)!.jobId)).toEqual([0, 1, 2].map((i) => `${array}_${i}`));
    expect(arrayIdOf(upfront.get('m_1')!.jobId)).toBeUndefined();
    expect(existsSync(join(dir, 'slurm', 'jobs', 'w_1.sh'))).toBe(false);
    expect(readFileSync(join(dir, 'slurm', 'jobs', 'w_1.array.sh'), 'utf8')).toContain('#SBATCH --array=0-2');

    await followToEnd(run);
    expect(Object.fromEntries(run.recorder.states)).toEqual({ init: 'succeeded', w_1: 'succeeded', w_2: 'succeeded', w_3: 'succeeded', m_1: 'succeeded', final: 'succeeded' });
    expect(run.recorder.attemptsOf('w_1').map((a) => a.siteJobId)).toEqual([`${array}_0`]);
    const w2 = run.recorder.attemptsOf('w_2');
    expect(w2.map((a) => a.attempt)).toEqual([1, 2]);
    expect(w2[0]!.siteJobId).toBe(`${array}_1`);
    expect(arrayIdOf(w2[1]!.siteJobId!)).toBeUndefined();
    expect(run.recorder.attemptsOf('m_1').map((a) => a.siteJobId)).toEqual([upfront.get('m_1')!.jobId]);
    // Each task wrote into its own job's logs, and its own status file.
    expect(readFileSync(run.recorder.attemptsOf('w_3')[0]!.stdout, 'utf8').trim()).toBe('I am w_3 attempt 1');
    expect(readFileSync(w2[1]!.stdout, 'utf8').trim()).toBe('I am w_2 attempt 2');
    expect(existsSync(slurmStatusFile(dir, 'w_1'))).toBe(true);

    // status from another shell understands array task ids.
    const running = ['w_1', 'w_3'].map((job) => ({ job, attempt: 1, host: 'vm', pid: null, pidStart: null, siteJobId: upfront.get(job)!.jobId }));
    const ends = await slurmSite.status({ submitPath: dir, siteRunId: run.siteRunId, running });
    expect(ends.map((e) => [e.job, e.state])).toEqual([['w_1', 'succeeded'], ['w_3', 'succeeded']]);
  }, 150_000);

  it('points a whole queued array at the retry of its parent, and runs every task under its first id', async () => {
    const dir = makeWorkflow([]).submitPath;
    const order = join(dir, 'order.txt');
    const append = (name: string): string[] => nodeCommand("require('fs').appendFileSync(process.argv[1], process.argv[2] + '\\n')", order, name);
    const initOnce = nodeCommand("const f=require('fs');if(!f.existsSync(process.argv[1])){f.writeFileSync(process.argv[1],'');process.exit(5)}f.appendFileSync(process.argv[2],'init\\n')", join(dir, 'init.marker'), order);
    const run = await submitSlurmRun([
      makeJob({ name: 'init', kind: 'init', retries: 1, commands: [initOnce] }),
      ...[1, 2, 3].map((i) => makeJob({ name: `w_${i}`, parents: ['init'], commands: [append(`w_${i}`)] })),
    ], { submitPath: dir, settings: { useJobArrays: true } });
    const upfront = ledgerOf(dir).latest;
    await followToEnd(run);
    const lines = readFileSync(order, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('init');
    expect(lines.slice(1).sort()).toEqual(['w_1', 'w_2', 'w_3']);
    expect(run.recorder.attemptsOf('init').map((a) => a.attempt)).toEqual([1, 2]);
    for (const j of ['w_1', 'w_2', 'w_3']) expect(run.recorder.attemptsOf(j).map((a) => a.siteJobId)).toEqual([upfront.get(j)!.jobId]);
    expect(ledgerOf(dir).all.filter((e) => e.job.startsWith('w_'))).toHaveLength(3);
  }, 150_000);

  it('prunes the array tasks a failed job blocked and cancels a run with arrays completely', async () => {
    const slow = nodeCommand('setTimeout(() => {}, 120000)');
    const run = await submitSlurmRun([
      makeJob({ name: 'bad', commands: [nodeCommand('process.exit(3)')] }),
      makeJob({ name: 'x_1', parents: ['bad'], commands: [nodeCommand('')] }),
      makeJob({ name: 'x_2', parents: ['bad'], commands: [nodeCommand('')] }),
      makeJob({ name: 's_1', commands: [slow] }),
      makeJob({ name: 's_2', commands: [slow] }),
    ], { settings: { useJobArrays: true } });
    const dir = run.options.workflow.submitPath;
    const { latest } = ledgerOf(dir);
    const abort = new AbortController();
    const following = followToEnd({ ...run, options: { ...run.options, signal: abort.signal } });
    const deadline = Date.now() + 60_000;
    while (run.recorder.states.get('x_2') !== 'pruned' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 300));
    expect(['x_1', 'x_2'].map((j) => run.recorder.states.get(j))).toEqual(['pruned', 'pruned']);
    expect(run.recorder.attemptsOf('x_1')).toEqual([]);
    abort.abort();
    await following;
    // The blocked array was cancelled before any task split off: Slurm keeps one record for both tasks.
    const ids = [...latest.values()].map((e) => e.jobId);
    let states: (string | undefined)[] = [];
    for (const until = Date.now() + 30_000; Date.now() < until; await new Promise((r) => setTimeout(r, 300))) {
      const rowOf = await queryJobsById(ids);
      states = ids.map((id) => rowOf(id)?.state);
      if (states.every((s) => s !== undefined && !ACTIVE.has(s))) break;
    }
    expect(states.sort()).toEqual(['CANCELLED', 'CANCELLED', 'CANCELLED', 'CANCELLED', 'FAILED']);
    expect(await queryJobs({ comment: `bps-ts:${run.options.workflow.name}` }).then((r) => r.filter((x) => ACTIVE.has(x.state)))).toEqual([]);
    expect(['s_1', 's_2'].map((j) => run.recorder.states.get(j))).toEqual(['deleted', 'deleted']);
  }, 150_000);
});
