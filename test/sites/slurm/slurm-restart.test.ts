import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { SubmitOptions } from '../../../src/sites/index.js';
import { queryJobs, slurmSite } from '../../../src/sites/slurm/index.js';
import { makeJob, makeWorkflow, MemoryRecorder, nodeCommand } from '../site-fixtures.js';
import { describeSlurm, waitForJobs } from './slurm-cluster.js';
import { followToEnd, ledgerOf, submitSlurmRun, type TestRun } from './slurm-site-support.js';

function appendCommand(order: string, name: string, delayMs = 0): string[] {
  return nodeCommand("setTimeout(() => require('fs').appendFileSync(process.argv[1], process.argv[2] + '\\n'), Number(process.argv[3]))", order, name, String(delayMs));
}

/** What `bps-ts restart` hands the site: the same run and submit directory, a new recorder (the run state). */
async function resubmit(run: TestRun, extra: Partial<SubmitOptions> = {}): Promise<TestRun> {
  const recorder = new MemoryRecorder();
  const options: SubmitOptions = { ...run.options, recorder, ...extra };
  const { siteRunId, finished } = await slurmSite.submit(options);
  expect(finished).toBe(false);
  return { options, siteRunId, recorder };
}

describeSlurm('slurm restart on the dev cluster', () => {
  it('adopts the jobs of a run still queued or running instead of submitting them twice', async () => {
    const dir = makeWorkflow([]).submitPath;
    const order = join(dir, 'order.txt');
    const first = await submitSlurmRun([
      makeJob({ name: 'slow', commands: [appendCommand(order, 'slow', 3000)] }),
      makeJob({ name: 'child', parents: ['slow'], commands: [appendCommand(order, 'child')] }),
    ], { submitPath: dir });
    // The driver is gone (never followed): a restart takes the run over.
    const again = await resubmit(first);
    expect(ledgerOf(dir).all).toHaveLength(2);
    await followToEnd(again);
    expect(readFileSync(order, 'utf8')).toBe('slow\nchild\n');
    expect(Object.fromEntries(again.recorder.states)).toMatchObject({ slow: 'succeeded', child: 'succeeded' });
    expect(await queryJobs({ comment: `bps-ts:${first.options.workflow.name}` })).toHaveLength(2);
  }, 150_000);

  it('resubmits a failed job, revives its blocked child under its first id, and replaces a queued job whose commands changed', async () => {
    const dir = makeWorkflow([]).submitPath;
    const order = join(dir, 'order.txt');
    const marker = join(dir, 'fixed');
    const a = makeJob({ name: 'a', commands: [nodeCommand("const f=require('fs');if(!f.existsSync(process.argv[1]))process.exit(3);f.appendFileSync(process.argv[2],'a\\n')", marker, order)] });
    const b = makeJob({ name: 'b', parents: ['a'], commands: [appendCommand(order, 'b')] });
    const c = makeJob({ name: 'c', parents: ['b'], commands: [appendCommand(order, 'c')] });
    const first = await submitSlurmRun([a, b, c], { submitPath: dir });
    const before = ledgerOf(dir).latest;
    await waitForJobs([before.get('a')!.jobId, before.get('b')!.jobId], (rows) => rows.some((r) => r.reason === 'DependencyNeverSatisfied'), 60_000);
    writeFileSync(marker, '');
    // The restart's workflow carries amended commands for c (as `bps-ts restart -c` would).
    const amended = { ...first.options.workflow, jobs: [a, b, { ...c, commands: [appendCommand(order, 'c2')] }] };
    const again = await resubmit(first, { workflow: amended });
    await followToEnd(again);
    expect(readFileSync(order, 'utf8')).toBe('a\nb\nc2\n');
    expect(Object.fromEntries(again.recorder.states)).toMatchObject({ a: 'succeeded', b: 'succeeded', c: 'succeeded' });
    // a's first attempt, never seen by a driver, is recorded by the restart; the rerun is attempt 2.
    expect(again.recorder.ended.filter((e) => e.job === 'a').map((e) => [e.attempt, e.state, e.exitCode])).toEqual([[1, 'failed', 3], [2, 'succeeded', 0]]);
    const { all } = ledgerOf(dir);
    expect(all.filter((e) => e.job === 'b')).toHaveLength(1);
    expect(again.recorder.attemptsOf('b').map((x) => x.siteJobId)).toEqual([before.get('b')!.jobId]);
    expect(all.filter((e) => e.job === 'c').map((e) => e.attempt)).toEqual([1, 2]);
    const [oldC] = await queryJobs({ jobIds: [before.get('c')!.jobId] });
    expect(oldC?.state).toBe('CANCELLED');
  }, 150_000);
});
