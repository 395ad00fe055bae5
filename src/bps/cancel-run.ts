import { getSitePlugin } from '../sites/index.js';
import type { Logger } from '../util/index.js';
import { readRunStatus, type RunState } from './run-status.js';
import { RunStateStore } from './run-state-store.js';

/**
 * Cancels a running or interrupted run: the site stops it (the local site signals the driver,
 * which stops its jobs and records them as deleted; jobs without a driver — batch jobs, pilot
 * blocks — are stopped here and recorded). Waits up
 * to `waitMs` for the driver to finish recording; returns the state then.
 */
export async function cancelRun(options: { runState: string; log: Logger; waitMs?: number }): Promise<{ runId: string; state: RunState; stopped: number }> {
  const store = RunStateStore.open(options.runState);
  try {
    const meta = store.metadata();
    const before = await readRunStatus(store);
    // An interrupted run (its driver died) may still hold batch jobs or pilot blocks: stop them too.
    if (before.state !== 'running' && before.state !== 'interrupted') return { runId: meta.id, state: before.state, stopped: 0 };
    const running = store.runningAttempts();
    const ended = await getSitePlugin(meta.siteType).cancel({ submitPath: meta.submitPath, siteRunId: before.latest?.siteRunId ?? '', running });
    if (ended.length > 0) store.recordEnded(ended);
    if (before.driverAlive !== true) {
      const pending = store.jobs().filter((j) => j.state === 'unready' || j.state === 'ready').map((j) => j.name);
      for (const name of pending) store.setJobState(name, 'deleted');
      if (before.latest) store.endSubmission(before.latest.number);
    }
    const deadline = Date.now() + (options.waitMs ?? 30_000);
    let status = await readRunStatus(store);
    while (status.state === 'running' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      status = await readRunStatus(store);
    }
    options.log.info({ run: meta.id, state: status.state }, `run '${meta.id}' ${status.state}`);
    return { runId: meta.id, state: status.state, stopped: running.length };
  } finally {
    store.close();
  }
}
