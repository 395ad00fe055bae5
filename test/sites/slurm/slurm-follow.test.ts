import { expect, it } from 'vitest';
import type { SubmitOptions } from '../../../src/sites/index.js';
import { cancelJobs, queryJobs, slurmSite } from '../../../src/sites/slurm/index.js';
import { createSilentLogger } from '../../../src/util/index.js';
import { makeJob, makeWorkflow, MemoryRecorder, nodeCommand } from '../site-fixtures.js';
import { describeSlurm } from './slurm-cluster.js';
import { ledgerOf, makeSlurmConfig } from './slurm-site-support.js';

const log = createSilentLogger();

async function submitRun(jobs: Parameters<typeof makeWorkflow>[0], signal?: AbortSignal): Promise<{ options: SubmitOptions; siteRunId: string; recorder: MemoryRecorder }> {
  const workflow = makeWorkflow(jobs);
  const prepared = await slurmSite.prepare({ workflow, config: makeSlurmConfig(), submitPath: workflow.submitPath, cwd: workflow.submitPath, log });
  const recorder = new MemoryRecorder();
  const options: SubmitOptions = { workflow, prepared, recorder, log, ...(signal ? { signal } : {}) };
  const { siteRunId } = await slurmSite.submit(options);
  return { options, siteRunId, recorder };
}

describeSlurm('slurm site follow on the dev cluster', () => {
  it('follows a run to its end: a failed job prunes its child, the final job still runs', async () => {
    const { options, siteRunId, recorder } = await submitRun([
      makeJob({ name: 'ok', commands: [nodeCommand('')] }),
      makeJob({ name: 'bad', commands: [nodeCommand('process.exit(4)')] }),
      makeJob({ name: 'child', parents: ['bad'], commands: [nodeCommand('')] }),
      makeJob({ name: 'final', kind: 'final', parents: ['ok', 'child'], runAlways: true, commands: [nodeCommand('')] }),
    ]);
    await slurmSite.follow!(options, siteRunId);
    expect(Object.fromEntries(recorder.states)).toEqual({ ok: 'succeeded', bad: 'failed', child: 'pruned', final: 'succeeded' });
    expect(recorder.ended.find((e) => e.job === 'bad')).toMatchObject({ state: 'failed', exitCode: 4 });
  }, 120_000);

  it('cancels the run and records its jobs as deleted when the signal aborts', async () => {
    const abort = new AbortController();
    const { options, siteRunId, recorder } = await submitRun([
      makeJob({ name: 'slow', commands: [nodeCommand('setTimeout(() => {}, 120000)')] }),
      makeJob({ name: 'after', parents: ['slow'], commands: [nodeCommand('')] }),
    ], abort.signal);
    setTimeout(() => abort.abort(), 1500);
    await slurmSite.follow!(options, siteRunId);
    expect(Object.fromEntries(recorder.states)).toEqual({ slow: 'deleted', after: 'deleted' });
    const ids = [...ledgerOf(options.workflow.submitPath).latest.values()].map((e) => e.jobId);
    expect(ids).toHaveLength(2);
    const deadline = Date.now() + 20_000;
    let rows = await queryJobs({ jobIds: ids });
    while (rows.some((r) => r.state !== 'CANCELLED') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 300));
      rows = await queryJobs({ jobIds: ids });
    }
    expect(rows.map((r) => r.state)).toEqual(['CANCELLED', 'CANCELLED']);
  }, 60_000);

  it('reports a job cancelled outside bps-ts as deleted and prunes the child it blocked', async () => {
    const { options, siteRunId, recorder } = await submitRun([
      makeJob({ name: 'slow', commands: [nodeCommand('setTimeout(() => {}, 120000)')] }),
      makeJob({ name: 'child', parents: ['slow'], commands: [nodeCommand('')] }),
    ]);
    const { latest } = ledgerOf(options.workflow.submitPath);
    const following = slurmSite.follow!(options, siteRunId);
    const deadline = Date.now() + 60_000;
    while (recorder.attemptsOf('slow').length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 300));
    await cancelJobs({ jobIds: [latest.get('slow')!.jobId] });
    await following;
    expect(Object.fromEntries(recorder.states)).toEqual({ slow: 'deleted', child: 'pruned' });
    expect(recorder.ended).toMatchObject([{ job: 'slow', state: 'deleted' }]);
    const [child] = await queryJobs({ jobIds: [latest.get('child')!.jobId] });
    expect(child?.state).toBe('CANCELLED');
  }, 120_000);
});
