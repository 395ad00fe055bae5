import { existsSync, readFileSync } from 'node:fs';
import type { AttemptEnd, RunQueryOptions } from '../site-plugin.js';
import { foldNodeEvents, type NodeAttempt, type NodeEvents } from './fold-node-events.js';
import { loadHtcondorSettings, parseHtcondorRunId } from './htcondor-settings.js';
import { parseCondorJobs } from './parse-condor-q.js';
import { parseUserLog } from './parse-user-log.js';
import { runCondorCommand } from './run-condor-command.js';

/**
 * The HTCondor site's status: for each attempt the run state calls running, the end the node
 * log (`<dag>.nodes.log`) gives its job (`siteJobId` `<cluster>.0`, latest start); an attempt
 * with no end whose DAGMan job has left the queue is `lost`.
 */
export async function statusHtcondor(options: RunQueryOptions): Promise<AttemptEnd[]> {
  if (options.running.length === 0) return [];
  const dagman = parseHtcondorRunId(options.siteRunId);
  const { dagFile } = loadHtcondorSettings(options.submitPath);
  const nodesLog = `${dagFile}.nodes.log`;
  const nodes = existsSync(nodesLog) ? foldNodeEvents(parseUserLog(readFileSync(nodesLog, 'utf8'), nodesLog), dagman) : new Map<string, NodeEvents>();
  // A job requeued by max_retries keeps its cluster: the latest start of the cluster is the running attempt.
  const lastByCluster = new Map<number, NodeAttempt>();
  for (const facts of nodes.values()) for (const a of facts.attempts) lastByCluster.set(a.clusterId, a);
  const ended: AttemptEnd[] = [];
  const unknown: RunQueryOptions['running'][number][] = [];
  for (const r of options.running) {
    const cluster = Number.parseInt(r.siteJobId ?? '', 10);
    const end = lastByCluster.get(cluster)?.end;
    if (end !== undefined) ended.push({ ...end, job: r.job, attempt: r.attempt });
    else unknown.push(r);
  }
  if (unknown.length > 0) {
    const queue = parseCondorJobs(await runCondorCommand(['condor_q', '-json', String(dagman)]), 'condor_q -json');
    if (queue.length === 0) {
      const now = Date.now();
      for (const r of unknown) ended.push({ job: r.job, attempt: r.attempt, state: 'lost', exitCode: null, signal: null, endedAt: now, reason: `DAGMan job ${dagman} left the queue and the node log has no end for job ${r.siteJobId ?? '?'}` });
    }
  }
  return ended;
}
