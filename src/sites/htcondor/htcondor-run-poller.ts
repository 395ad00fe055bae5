import { existsSync, readFileSync } from 'node:fs';
import { resolveJobLogPaths, type GenericWorkflowJob } from '../../workflow/index.js';
import type { JobState, SubmitOptions } from '../site-plugin.js';
import { makeNodeNames } from './dag-writer.js';
import { foldNodeEvents, type NodeAttempt, type NodeEvents } from './fold-node-events.js';
import { parseHtcondorRunId, type HtcondorSiteSettings } from './htcondor-settings.js';
import { parseNodeStatus, type NodeStatusEntry } from './parse-node-status.js';
import { parseUserLog } from './parse-user-log.js';

/** What one poll saw. */
export interface HtcondorPollResult {
  /** DAGMan has written its last node status (the DAG finished or was removed). */
  readonly finished: boolean;
  /** The DAG was removed (`condor_rm`) rather than run to its end. */
  readonly removed: boolean;
}

/**
 * Feeds a {@link JobRecorder} from what DAGMan writes for one run: starts and ends of attempts
 * from `<dag>.nodes.log`, job states from the node status file. Each poll re-reads both and
 * reports only what is new since the previous poll of the same poller.
 */
export class HtcondorRunPoller {
  readonly #options: SubmitOptions;
  readonly #settings: HtcondorSiteSettings;
  readonly #dagmanCluster: number;
  readonly #jobOfNode = new Map<string, GenericWorkflowJob>();
  readonly #started = new Map<string, number>();
  readonly #ended = new Map<string, number>();
  readonly #states = new Map<string, JobState>();
  #removed = false;

  constructor(options: SubmitOptions, siteRunId: string) {
    this.#options = options;
    this.#settings = options.prepared.settings as unknown as HtcondorSiteSettings;
    this.#dagmanCluster = parseHtcondorRunId(siteRunId);
    const names = makeNodeNames(options.workflow.jobs);
    for (const job of options.workflow.jobs) this.#jobOfNode.set(names.get(job.name)!, job);
  }

  /** Marks the run as removed (cancel was asked): waiting jobs end as `deleted`. */
  markRemoved(): void {
    this.#removed = true;
  }

  /** Reads the logs once and records what changed. */
  poll(): HtcondorPollResult {
    const dag = this.#settings.dagFile;
    const nodesLog = `${dag}.nodes.log`;
    const events = existsSync(nodesLog) ? foldNodeEvents(parseUserLog(readFileSync(nodesLog, 'utf8'), nodesLog), this.#dagmanCluster) : new Map<string, NodeEvents>();
    for (const [node, facts] of events) {
      const job = this.#jobOfNode.get(node);
      if (job !== undefined) this.#recordAttempts(job, facts.attempts);
      if (facts.aborted === 'removed') this.#removed = true;
    }
    const statusFile = dag.replace(/\.dag$/, '') + '.node_status';
    const text = existsSync(statusFile) ? readFileSync(statusFile, 'utf8') : '';
    const status = text === '' ? undefined : parseNodeStatus(text, statusFile);
    const finished = status?.nextUpdate === 0 && status.endTime !== undefined;
    for (const entry of status?.nodes ?? []) {
      const job = this.#jobOfNode.get(entry.node);
      if (job === undefined || this.#options.done?.has(job.name)) continue;
      this.#setState(job.name, this.#deriveState(entry, events.get(entry.node), finished));
    }
    if (finished) this.#closeOpenAttempts(events);
    return { finished, removed: this.#removed };
  }

  #recordAttempts(job: GenericWorkflowJob, attempts: readonly NodeAttempt[]): void {
    const { recorder, workflow } = this.#options;
    // HTCondor writes every attempt of a job to the same output files.
    const before = this.#options.previousAttempts?.get(job.name) ?? 0;
    const fallbackMemory = this.#options.memoryMiB?.get(job.name) ?? job.resources.requestMemory;
    attempts.forEach((a, i) => {
      const attempt = before + i + 1;
      if (i >= (this.#started.get(job.name) ?? 0)) {
        this.#started.set(job.name, i + 1);
        recorder.attemptStarted({ job: job.name, attempt, host: a.host, pid: null, pidStart: null, siteJobId: `${a.clusterId}.0`, memoryMiB: a.memoryMiB ?? fallbackMemory, startedAt: a.startedAt, ...resolveJobLogPaths(workflow.submitPath, job) });
      }
      if (a.end !== undefined && i >= (this.#ended.get(job.name) ?? 0)) {
        this.#ended.set(job.name, i + 1);
        recorder.attemptEnded({ job: job.name, attempt, ...a.end });
      }
    });
  }

  #deriveState(entry: NodeStatusEntry, facts: NodeEvents | undefined, finished: boolean): JobState {
    const last = facts?.attempts.at(-1);
    const waiting = (s: JobState): JobState => (finished && this.#removed ? 'deleted' : s);
    switch (entry.nodeStatus) {
      case 5:
        return 'succeeded';
      case 6:
        // The FINAL node fails through its POST script when the DAG failed; its job itself may have succeeded.
        if (last?.end?.state === 'succeeded') return 'succeeded';
        return facts?.aborted === 'removed' ? 'deleted' : 'failed';
      case 7:
        return 'pruned';
      case 3:
      case 4:
        return waiting(last !== undefined && last.end === undefined ? 'running' : 'ready');
      case 1:
      case 2:
        return waiting('ready');
      default:
        return waiting('unready');
    }
  }

  #setState(job: string, state: JobState): void {
    if (this.#states.get(job) === state) return;
    this.#states.set(job, state);
    this.#options.recorder.setJobState(job, state);
  }

  /** Attempts without an end once DAGMan is gone will never get one: they are lost. */
  #closeOpenAttempts(events: Map<string, NodeEvents>): void {
    for (const [node, facts] of events) {
      const job = this.#jobOfNode.get(node);
      if (job === undefined) continue;
      let changed = false;
      for (const a of facts.attempts) {
        if (a.end === undefined) {
          a.end = { state: this.#removed ? 'deleted' : 'lost', exitCode: null, signal: null, endedAt: Date.now(), reason: 'DAGMan ended before the job did' };
          changed = true;
        }
      }
      if (changed) this.#recordAttempts(job, facts.attempts);
    }
  }
}
