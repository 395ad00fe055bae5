import { hostname } from 'node:os';
import { getSitePlugin, readProcessStart } from '../sites/index.js';
import type { Logger } from '../util/index.js';
import { readGenericWorkflow } from '../workflow/index.js';
import { parseAmendments, writeAmendedRun } from './amend-graph.js';
import { RunBusyError } from './bps-errors.js';
import { readRunStatus } from './run-status.js';
import { RunStateStore } from './run-state-store.js';

/** Options of {@link prepareRestart}. */
export interface PrepareRestartOptions {
  readonly runState: string;
  /** Task-config amendments `label:key=value` (the reference cannot amend a restart). */
  readonly amendments?: readonly string[];
  readonly log: Logger;
}

/** What {@link prepareRestart} set up. */
export interface PreparedRestart {
  readonly runId: string;
  /** The new submission to drive (null when there is nothing to rerun). */
  readonly submission: number | null;
  /** Jobs that will run again (failed, pruned, lost, never run, and the final job). */
  readonly jobsToRun: number;
}

/**
 * Sets a run up to run again: refuses while its driver lives; stops job processes a killed
 * driver left behind (a site whose jobs live on in its batch system, `adoptsJobs`, keeps them
 * and its submit adopts them); applies config amendments (new graph and workflow files); makes every
 * job that has not succeeded — and the final job, which must fold the new results in —
 * runnable again; opens a new submission. Memory earned by out-of-memory retries is kept
 * (it is stored per job). Succeeded quanta are not run again: `run-qbb` skips them.
 */
export async function prepareRestart(options: PrepareRestartOptions): Promise<PreparedRestart> {
  const amendments = parseAmendments(options.amendments ?? []);
  const store = RunStateStore.open(options.runState);
  try {
    const meta = store.metadata();
    const status = await readRunStatus(store);
    if (status.driverAlive === true) {
      throw new RunBusyError(`run '${meta.id}' is still being driven by process ${status.latest?.driverPid ?? '?'} on ${status.latest?.driverHost ?? '?'}`, { hint: `wait for it, or stop it with bps-ts cancel --id ${meta.id}` });
    }
    const adopts = getSitePlugin(meta.siteType).capabilities.adoptsJobs === true;
    if (status.orphans > 0 && adopts) {
      options.log.info({ run: meta.id, running: status.orphans }, `${status.orphans} job(s) of the run are still in the batch system: the restart adopts them`);
    } else if (status.orphans > 0) {
      options.log.warn({ run: meta.id, orphans: status.orphans }, `stopping ${status.orphans} job process(es) left by the previous driver`);
      const ended = await getSitePlugin(meta.siteType).cancel({ submitPath: meta.submitPath, siteRunId: status.latest?.siteRunId ?? '', running: store.runningAttempts() });
      store.recordEnded(ended.map((e) => ({ ...e, state: 'lost' as const, reason: 'stopped by restart: its driver was gone' })));
    }
    const workflow = readGenericWorkflow(meta.workflowFile);
    const jobs = store.jobs();
    const toRun = jobs.filter((j) => j.state !== 'succeeded' || j.kind === 'final');
    if (jobs.every((j) => j.state === 'succeeded') && amendments.length === 0) {
      options.log.info({ run: meta.id }, `run '${meta.id}' has already succeeded: nothing to restart`);
      return { runId: meta.id, submission: null, jobsToRun: 0 };
    }
    const submission = store.beginSubmission({ kind: 'restart', startedAt: Date.now(), driverHost: hostname(), driverPid: process.pid, driverPidStart: readProcessStart(process.pid), amendments: options.amendments ?? [] });
    if (amendments.length > 0) {
      const files = writeAmendedRun({ graphFile: meta.graphFile, workflow, submitPath: meta.submitPath, submission, amendments });
      store.setMetadata(files);
      options.log.info({ run: meta.id, ...files, amendments: options.amendments }, 'task configs amended for the restart');
    }
    store.resetJobs(toRun.map((j) => j.name));
    options.log.info({ run: meta.id, submission, jobs: toRun.length }, `restarting run '${meta.id}': ${toRun.length} job(s) to run`);
    return { runId: meta.id, submission, jobsToRun: toRun.length };
  } finally {
    store.close();
  }
}
