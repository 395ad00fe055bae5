import { SiteError } from '../site-error.js';
import type { SubmitOptions } from '../site-plugin.js';
import { HtcondorRunPoller } from './htcondor-run-poller.js';
import { parseHtcondorRunId } from './htcondor-settings.js';
import { parseCondorJobs } from './parse-condor-q.js';
import { runCondorCommand } from './run-condor-command.js';

/** Options of {@link followHtcondorRun}. */
export interface FollowHtcondorRunOptions {
  /** Milliseconds between polls (default 250). */
  readonly intervalMs?: number;
  /** Aborting removes the DAG (`condor_rm`) and follows it until DAGMan has exited. */
  readonly signal?: AbortSignal;
  /** Give up after this many ms (default: never). */
  readonly timeoutMs?: number;
}

/** Whether the DAGMan job has left the queue (in `condor_history`, or in neither). */
async function isDagmanGone(clusterId: number): Promise<boolean> {
  const queue = parseCondorJobs(await runCondorCommand(['condor_q', '-json', String(clusterId)]), 'condor_q -json');
  return queue.length === 0;
}

/**
 * Follows a submitted run until DAGMan has exited, feeding the recorder of `submit` from the
 * node log and node status file at each poll (the driver's loop for a site that does not
 * run in the driver). Aborting `signal` removes the DAG with `condor_rm`; its jobs then end
 * as `deleted`. Checks `condor_q` every few polls so that a DAGMan that died without writing
 * its last node status does not keep the loop alive.
 */
export async function followHtcondorRun(submit: SubmitOptions, siteRunId: string, options: FollowHtcondorRunOptions = {}): Promise<void> {
  const poller = new HtcondorRunPoller(submit, siteRunId);
  const cluster = parseHtcondorRunId(siteRunId);
  const interval = options.intervalMs ?? 250;
  const deadline = options.timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.timeoutMs;
  let removing = false;
  let gone = false;
  for (let round = 1; ; round++) {
    if (options.signal?.aborted && !removing) {
      removing = true;
      poller.markRemoved();
      submit.log.info({ siteRunId }, 'htcondor: removing the DAG (aborted)');
      await runCondorCommand(['condor_rm', String(cluster)]).catch((e: unknown) => submit.log.warn({ siteRunId, err: String(e) }, 'htcondor: condor_rm failed'));
    }
    const seen = poller.poll();
    if (seen.finished || gone) return;
    if (Date.now() > deadline) throw new SiteError(`HTCondor run '${siteRunId}' did not finish in ${options.timeoutMs} ms`, { site: 'htcondor', hint: `look at ${submit.workflow.submitPath} (the .dagman.out file) and condor_q ${cluster}` });
    // A DAGMan gone from the queue gets one more poll to pick up what it wrote last.
    if (round % 20 === 0) gone = await isDagmanGone(cluster);
    await new Promise((r) => setTimeout(r, interval));
  }
}
