import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BpsConfig, ConfigError } from '../../../src/config/index.js';
import {
  buildArrayJobSpec, buildBatchJobSpec, cancelJobs, queryJobs, readSlurmSettings, readWrapperStatus, renderBatchScript, slurmRunComment, slurmStatusFile, submitBatchJob,
} from '../../../src/sites/slurm/index.js';
import type { GenericWorkflow, GenericWorkflowJob } from '../../../src/workflow/index.js';
import { describeSlurm, isSlurmFinal, makeTestDir, slurmEnv, uniqueRunId, waitForJobs } from './slurm-cluster.js';

function makeWorkflow(submitPath: string, name: string, commands: string[][]): { workflow: GenericWorkflow; job: GenericWorkflowJob } {
  const job: GenericWorkflowJob = {
    name: 'calibrate_visit_1', label: 'calibrate', kind: 'payload', tags: { visit: 1, band: "r'$(x)" }, quantumIds: ['q1'], quantaCounts: { calibrate: 1 },
    commands,
    resources: { requestCpus: 1, requestMemory: 150, requestWalltime: 600, numberOfRetries: 0, memoryMultiplier: null, requestMemoryMax: null, memoryLimit: null, retryUnlessExit: [] },
    parents: [], runAlways: false, stdout: 'logs/calibrate/1/calibrate_visit_1.out', stderr: 'logs/calibrate/1/calibrate_visit_1.err',
  };
  const workflow: GenericWorkflow = {
    formatVersion: 1, name, submitPath, repo: '/repo', graphFile: '/g.qg', computeSite: 'slurm',
    runAttributes: { operator: 'me', project: 'p', campaign: 'c', payloadName: 'pl', outputRun: 'u/me/run', computeSite: 'slurm' },
    jobs: [job],
  };
  return { workflow, job };
}

describe('Slurm site settings and job specs', () => {
  it('reads site settings from the computeSite section with defaults', () => {
    const config = BpsConfig.fromObject({ computeSite: 'hpc', site: { hpc: { partition: 'debug', account: 'astro', submissionsPerSecond: 2, useJobArrays: true } } });
    expect(readSlurmSettings(config)).toEqual({
      partition: 'debug', account: 'astro', qos: null, constraint: null, submissionsPerSecond: 2, useJobArrays: true, arrayMaxRunning: null, pollSeconds: 30, peakMemoryProbe: 'auto',
    });
    const bad = BpsConfig.fromObject({ computeSite: 'hpc', site: { hpc: { peakMemoryProbe: 'valgrind' } } });
    expect(() => readSlurmSettings(bad)).toThrow(ConfigError);
  });

  it('maps a workflow job and its attempt to resources, run-carrying name and comment, and per-attempt files', () => {
    const { workflow, job } = makeWorkflow('/sub/run 1', 'u_me_run_20260101T000000Z', [['qg', 'run-qbb', '/repo', '/g.qg']]);
    const settings = readSlurmSettings(BpsConfig.fromObject({ computeSite: 'hpc', site: { hpc: { partition: 'debug', qos: 'low' } } }));
    const spec = buildBatchJobSpec({ workflow, job, settings, cwd: '/work dir', attempt: 2, memoryMiB: 300 });
    expect(spec).toMatchObject({
      name: 'u_me_run_20260101T000000Z.calibrate_visit_1', comment: 'bps-ts:u_me_run_20260101T000000Z', cpus: 1, memoryMb: 300, walltimeSeconds: 600,
      partition: 'debug', qos: 'low', stdout: '/sub/run 1/logs/calibrate/1/calibrate_visit_1.2.out', stderr: '/sub/run 1/logs/calibrate/1/calibrate_visit_1.2.err', workDir: '/work dir',
      env: { BPS_TS_JOB_NAME: 'calibrate_visit_1', BPS_TS_JOB_ATTEMPT: '2', BPS_TS_JOB_MEMORY_MIB: '300', BPS_TS_RUN: 'u_me_run_20260101T000000Z' },
      tasks: [{ commands: [['qg', 'run-qbb', '/repo', '/g.qg']], statusFile: '/sub/run 1/slurm/status/calibrate_visit_1.2.json' }],
    });
    expect(spec.account).toBeUndefined();
    expect(renderBatchScript(spec)).toContain('#SBATCH --mem=300M');
  });

  it('maps same-label jobs to one array whose tasks keep each job\'s attempt, environment, logs and status file', () => {
    const { workflow, job } = makeWorkflow('/sub', 'run_1', [['qg', 'run-qbb', 'a']]);
    const other = { ...job, name: 'calibrate_visit_2', commands: [['qg', 'run-qbb', 'b']], stdout: 'logs/calibrate/2/calibrate_visit_2.out', stderr: 'logs/calibrate/2/calibrate_visit_2.err' };
    const settings = readSlurmSettings(BpsConfig.fromObject({ computeSite: 'hpc', site: { hpc: { arrayMaxRunning: 4 } } }));
    const spec = buildArrayJobSpec({ workflow: { ...workflow, jobs: [job, other] }, members: [{ job, attempt: 1 }, { job: other, attempt: 3 }], settings, cwd: '/w', memoryMiB: 150 });
    expect(spec).toMatchObject({ name: 'run_1.calibrate', memoryMb: 150, arrayMaxRunning: 4, stdout: '/sub/slurm/logs/calibrate.{arrayJobId}_{arrayTaskId}.out', env: { BPS_TS_RUN: 'run_1' } });
    expect(spec.tasks).toEqual([
      { commands: [['qg', 'run-qbb', 'a']], statusFile: '/sub/slurm/status/calibrate_visit_1.json', stdout: '/sub/logs/calibrate/1/calibrate_visit_1.out', stderr: '/sub/logs/calibrate/1/calibrate_visit_1.err',
        env: { BPS_TS_JOB_NAME: 'calibrate_visit_1', BPS_TS_JOB_ATTEMPT: '1', BPS_TS_JOB_MEMORY_MIB: '150', BPS_TS_RUN: 'run_1' } },
      { commands: [['qg', 'run-qbb', 'b']], statusFile: '/sub/slurm/status/calibrate_visit_2.3.json', stdout: '/sub/logs/calibrate/2/calibrate_visit_2.3.out', stderr: '/sub/logs/calibrate/2/calibrate_visit_2.3.err',
        env: { BPS_TS_JOB_NAME: 'calibrate_visit_2', BPS_TS_JOB_ATTEMPT: '3', BPS_TS_JOB_MEMORY_MIB: '150', BPS_TS_RUN: 'run_1' } },
    ]);
    expect(renderBatchScript(spec)).toContain('#SBATCH --array=0-1%4');
  });
});

describeSlurm('Slurm run lookup by comment against the dev cluster', () => {
  it('finds and cancels exactly the jobs of one run by their comment', async () => {
    const dir = makeTestDir('comment');
    const runs = [uniqueRunId('runa'), uniqueRunId('runb')];
    const ids: string[] = [];
    for (const run of runs) {
      const { workflow, job } = makeWorkflow(join(dir, run), run, [['sleep', '60']]);
      const spec = buildBatchJobSpec({ workflow, job, settings: readSlurmSettings(BpsConfig.fromObject({})), cwd: dir });
      mkdirSync(join(dir, run, 'logs', 'calibrate', '1'), { recursive: true });
      writeFileSync(join(dir, `${run}.sh`), renderBatchScript(spec));
      ids.push((await submitBatchJob({ env: slurmEnv, hold: true, scriptPath: join(dir, `${run}.sh`) })).jobId);
    }
    try {
      const found = await queryJobs({ env: slurmEnv, comment: slurmRunComment(runs[0]!) });
      expect(found.map((r) => r.jobId)).toEqual([ids[0]]);
      await cancelJobs({ env: slurmEnv, jobIds: found.map((r) => r.jobId) });
      const rows = await waitForJobs(ids, (r) => isSlurmFinal(r.find((x) => x.jobId === ids[0])));
      expect(rows.map((r) => [r.jobId, r.state]).sort()).toEqual([[ids[0], 'CANCELLED'], [ids[1], 'PENDING']].sort());
      expect(await readWrapperStatus(slurmStatusFile(join(dir, runs[0]!), 'calibrate_visit_1'))).toBeUndefined();
    } finally {
      await cancelJobs({ env: slurmEnv, jobIds: ids });
    }
  });
});
