import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ExitCode } from '../../../src/errors/index.js';
import {
  SlurmCommandError, cancelJobs, decodeWaitStatus, mergeJobStatus, pingSlurm, queryJobs, readWrapperStatus, renderBatchScript, showJob, submitBatchJob, toSlurmSafeName,
  type BatchJobSpec, type SqueueRow, type WrappedTask,
} from '../../../src/sites/slurm/index.js';
import { describeSlurm, isSlurmFinal, makeTestDir, slurmEnv, uniqueRunId, waitForJobs } from './slurm-cluster.js';

/** Writes the batch script of one job into `dir` and returns its path. */
function writeJob(dir: string, spec: Omit<BatchJobSpec, 'cpus' | 'memoryMb' | 'stdout' | 'stderr' | 'workDir'> & Partial<BatchJobSpec>): string {
  const file = join(dir, `${spec.name}.sh`);
  writeFileSync(file, renderBatchScript({ cpus: 1, memoryMb: 100, stdout: join(dir, `${spec.name}.out`), stderr: join(dir, `${spec.name}.err`), workDir: dir, ...spec }));
  return file;
}

function task(dir: string, label: string, ...commands: string[][]): WrappedTask {
  return { commands, statusFile: join(dir, 'status', `${label}.json`) };
}

async function statusOf(row: SqueueRow | undefined, statusFile: string): Promise<ReturnType<typeof mergeJobStatus>> {
  const facts = row === undefined ? undefined : { state: row.state, reason: row.reason, exit: decodeWaitStatus(row.rawExitCode ?? 0) };
  return mergeJobStatus(facts, await readWrapperStatus(statusFile));
}

const byId = (rows: SqueueRow[], id: string): SqueueRow | undefined => rows.find((r) => r.jobId === id);

describeSlurm('Slurm command layer against the dev cluster', () => {
  it('pings the controller and sees the default partition up', async () => {
    const parts = await pingSlurm({ env: slurmEnv });
    expect(parts.find((p) => p.isDefault)).toMatchObject({ availability: 'up' });
    expect(parts[0]!.nodeStates.total).toBeGreaterThan(0);
  });

  it('runs a two-job afterok chain in order and records both in status files', async () => {
    const dir = makeTestDir('chain');
    const run = uniqueRunId('chain');
    const a = await submitBatchJob({ env: slurmEnv, scriptPath: writeJob(dir, { name: `${run}.a`, tasks: [task(dir, 'a', ['sleep', '1'])] }) });
    const b = await submitBatchJob({ env: slurmEnv, afterOk: [a.jobId], scriptPath: writeJob(dir, { name: `${run}.b`, tasks: [task(dir, 'b', ['true'])] }) });
    const rows = await waitForJobs([a.jobId, b.jobId], (r) => r.length === 2 && r.every(isSlurmFinal));
    const sa = await statusOf(byId(rows, a.jobId), join(dir, 'status', 'a.json'));
    const sb = await statusOf(byId(rows, b.jobId), join(dir, 'status', 'b.json'));
    expect([sa.state, sb.state]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(sb.startedAt!).toBeGreaterThanOrEqual(sa.endedAt!);
    expect(sa).toMatchObject({ host: hostname().split('.')[0], exitCode: 0, infrastructure: false });
    expect(byId(rows, b.jobId)!.name).toBe(`${run}.b`);
  });

  it('leaves the child of a failed job pending on DependencyNeverSatisfied, reported as BLOCKED even after cancelling it', async () => {
    const dir = makeTestDir('blocked');
    const run = uniqueRunId('blocked');
    const a = await submitBatchJob({ env: slurmEnv, scriptPath: writeJob(dir, { name: `${run}.a`, tasks: [task(dir, 'a', ['sh', '-c', 'exit 3'])] }) });
    const b = await submitBatchJob({ env: slurmEnv, afterOk: [a.jobId], scriptPath: writeJob(dir, { name: `${run}.b`, tasks: [task(dir, 'b', ['true'])] }) });
    const rows = await waitForJobs([a.jobId, b.jobId], (r) => isSlurmFinal(byId(r, a.jobId)) && byId(r, b.jobId)?.reason === 'DependencyNeverSatisfied');
    expect(byId(rows, a.jobId)).toMatchObject({ state: 'FAILED', reason: 'NonZeroExitCode', rawExitCode: 3 << 8 });
    expect(await statusOf(byId(rows, a.jobId), join(dir, 'status', 'a.json'))).toMatchObject({ state: 'FAILED', infrastructure: false, exitCode: 3 });
    expect(byId(rows, b.jobId)!.state).toBe('PENDING');
    expect(await statusOf(byId(rows, b.jobId), join(dir, 'status', 'b.json'))).toMatchObject({ state: 'BLOCKED', exitCode: null });
    await cancelJobs({ env: slurmEnv, jobIds: [b.jobId] });
    const after = await waitForJobs([b.jobId], (r) => isSlurmFinal(r[0]));
    expect(after[0]).toMatchObject({ state: 'CANCELLED', reason: 'DependencyNeverSatisfied' });
    expect((await statusOf(after[0], join(dir, 'status', 'b.json'))).state).toBe('BLOCKED');
  });

  it('lets Slurm cancel a blocked child itself with killOnInvalidDependency, and still runs an afterany final job', async () => {
    const dir = makeTestDir('killdep');
    const run = uniqueRunId('killdep');
    const a = await submitBatchJob({ env: slurmEnv, scriptPath: writeJob(dir, { name: `${run}.a`, tasks: [task(dir, 'a', ['false'])] }) });
    const b = await submitBatchJob({ env: slurmEnv, afterOk: [a.jobId], killOnInvalidDependency: true, scriptPath: writeJob(dir, { name: `${run}.b`, tasks: [task(dir, 'b', ['true'])] }) });
    // A final job waits for every job to end, whatever the outcome.
    const c = await submitBatchJob({ env: slurmEnv, afterAny: [a.jobId, b.jobId], scriptPath: writeJob(dir, { name: `${run}.final`, tasks: [task(dir, 'c', ['true'])] }) });
    const rows = await waitForJobs([a.jobId, b.jobId, c.jobId], (r) => r.length === 3 && r.every(isSlurmFinal));
    expect(byId(rows, b.jobId)).toMatchObject({ state: 'CANCELLED', reason: 'DependencyNeverSatisfied' });
    expect(byId(rows, c.jobId)!.state).toBe('COMPLETED');
    expect(existsSync(join(dir, 'status', 'b.json'))).toBe(false);
  });

  it('cancels a run\'s jobs by name and leaves other jobs alone', async () => {
    const dir = makeTestDir('cancel');
    const run = uniqueRunId('cancel');
    const other = uniqueRunId('other');
    const mine = await Promise.all(['x', 'y'].map((l) => submitBatchJob({ env: slurmEnv, hold: true, scriptPath: writeJob(dir, { name: run, tasks: [task(dir, l, ['sleep', '60'])] }) })));
    const theirs = await submitBatchJob({ env: slurmEnv, hold: true, scriptPath: writeJob(dir, { name: other, tasks: [task(dir, 'o', ['sleep', '60'])] }) });
    const ids = [...mine.map((j) => j.jobId), theirs.jobId];
    try {
      const held = await queryJobs({ env: slurmEnv, names: [run] });
      expect(held.map((r) => [r.state, r.reason])).toEqual([['PENDING', 'JobHeldUser'], ['PENDING', 'JobHeldUser']]);
      expect((await statusOf(held[0], join(dir, 'status', 'x.json'))).state).toBe('HELD');
      await cancelJobs({ env: slurmEnv, names: [run] });
      const rows = await waitForJobs(ids, (r) => mine.every((j) => isSlurmFinal(byId(r, j.jobId))));
      expect(mine.map((j) => byId(rows, j.jobId)!.state)).toEqual(['CANCELLED', 'CANCELLED']);
      expect(byId(rows, theirs.jobId)!.state).toBe('PENDING');
      expect(await statusOf(byId(rows, mine[0]!.jobId), join(dir, 'status', 'x.json'))).toMatchObject({ state: 'DELETED', infrastructure: true });
    } finally {
      await cancelJobs({ env: slurmEnv, jobIds: [theirs.jobId] });
    }
    expect((await waitForJobs([theirs.jobId], (r) => isSlurmFinal(r[0])))[0]!.state).toBe('CANCELLED');
  });

  it('runs a job whose name, paths and values hold spaces, quotes and $(...) without executing anything injected', async () => {
    const base = makeTestDir('hostile');
    const evil = `it's "quoted" $(touch pwned-a) \`touch pwned-b\` 50% #x`;
    const dir = join(base, evil);
    mkdirSync(dir);
    const dataId = `{visit: 1, detector: "$(touch ${base}/pwned-c)", band: '\`touch ${base}/pwned-d\`'}`;
    const script = writeJob(dir, {
      name: `run ${evil}`,
      comment: `comment ${evil}`,
      stdout: join(dir, `out ${evil}.log`),
      env: { BPS_DATA_ID: dataId },
      tasks: [{ commands: [['bash', '-c', 'printf "%s|%s|%s\\n" "$1" "$BPS_DATA_ID" "$PWD"', '-', evil]], statusFile: join(dir, `status ${evil}.json`) }],
    });
    const job = await submitBatchJob({ env: slurmEnv, scriptPath: script });
    const rows = await waitForJobs([job.jobId], (r) => isSlurmFinal(r[0]));
    expect(rows[0]).toMatchObject({ state: 'COMPLETED', name: toSlurmSafeName(`run ${evil}`), comment: toSlurmSafeName(`comment ${evil}`) });
    expect(rows[0]!.name).toMatch(/^run_it_s__quoted_[A-Za-z0-9._:+-]+$/);
    expect(readFileSync(join(dir, `out ${evil}.log`), 'utf8')).toBe(`${evil}|${dataId}|${dir}\n`);
    expect(await readWrapperStatus(join(dir, `status ${evil}.json`))).toMatchObject({ phase: 'exited', exitCode: 0, slurmJobId: job.jobId });
    for (const n of ['pwned-a', 'pwned-b', 'pwned-c', 'pwned-d']) expect([existsSync(join(base, n)), existsSync(join(dir, n))]).toEqual([false, false]);
    const shown = await showJob({ env: slurmEnv, jobId: job.jobId });
    // scontrol expands %j in StdOut but prints an escaped %% as is; the file itself has one %.
    expect(shown[0]).toMatchObject({ JobId: job.jobId, JobState: 'COMPLETED', ExitCode: '0:0', StdOut: join(dir, `out ${evil}.log`).replaceAll('%', '%%'), WorkDir: dir });
  });

  it('runs same-request jobs as one array, one status file per task', async () => {
    const dir = makeTestDir('array');
    const run = uniqueRunId('array');
    const tasks = [0, 1, 2].map((i) => task(dir, `t${i}`, ['sh', '-c', `exit ${i === 1 ? 4 : 0}`]));
    const job = await submitBatchJob({ env: slurmEnv, scriptPath: writeJob(dir, { name: run, stdout: join(dir, 'log-{arrayJobId}_{arrayTaskId}.out'), tasks }) });
    const rows = await waitForJobs([job.jobId], (r) => r.length === 3 && r.every(isSlurmFinal));
    const sorted = [...rows].sort((x, y) => x.arrayTaskId! - y.arrayTaskId!);
    expect(sorted.map((r) => [r.id, r.arrayJobId, r.state])).toEqual([0, 1, 2].map((i) => [`${job.jobId}_${i}`, job.jobId, i === 1 ? 'FAILED' : 'COMPLETED']));
    const merged = await Promise.all(sorted.map((r, i) => statusOf(r, tasks[i]!.statusFile)));
    expect(merged.map((m) => [m.state, m.exitCode])).toEqual([['SUCCEEDED', 0], ['FAILED', 4], ['SUCCEEDED', 0]]);
    expect(existsSync(join(dir, `log-${job.jobId}_2.out`))).toBe(true);
  });

  it('reports an impossible request as a SlurmCommandError with the site exit code and a hint', async () => {
    const dir = makeTestDir('badpart');
    const script = writeJob(dir, { name: uniqueRunId('badpart'), partition: 'nosuchpartition', tasks: [task(dir, 'a', ['true'])] });
    const err = await submitBatchJob({ env: slurmEnv, scriptPath: script }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SlurmCommandError);
    expect(err).toMatchObject({ exitCode: ExitCode.site, commandExitCode: 1, site: 'slurm', hint: expect.stringContaining('partition') });
    expect((err as SlurmCommandError).stderrTail).toContain('invalid partition');
  });

  it('finds and cancels nothing, without an error, for job ids Slurm does not know', async () => {
    expect(await queryJobs({ env: slurmEnv, jobIds: ['999999'] })).toEqual([]);
    expect(await showJob({ env: slurmEnv, jobId: '999999' })).toEqual([]);
    // scancel --user exits 1 for such ids; a cancel of jobs that already ended is not an error.
    await expect(cancelJobs({ env: slurmEnv, jobIds: ['999999', '999998'] })).resolves.toBeUndefined();
  });
});
