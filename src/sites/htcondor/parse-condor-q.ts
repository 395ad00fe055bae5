import { SiteError } from '../site-error.js';
import { getAttr, getBoolean, getNumber, getString, parseClassAdJson, type ClassAd } from './classad-text.js';
import { classifyHold, mapJobStatus, type HoldKind, type HtcondorState } from './htcondor-states.js';

/** One job of `condor_q -json` / `condor_history -json`, with the fields bps-ts reads. */
export interface HtcondorJob {
  /** `ClusterId.ProcId`. */
  readonly id: string;
  readonly clusterId: number;
  readonly procId: number;
  /** Raw `JobStatus` (1 idle ... 7 suspended). */
  readonly jobStatus: number | undefined;
  readonly state: HtcondorState;
  /** Cluster id of the DAGMan job that submitted this one (`DAGManJobId`). */
  readonly dagmanJobId: number | undefined;
  /** DAG node name (`DAGNodeName`). */
  readonly dagNodeName: string | undefined;
  /** Whether this is a DAGMan job itself (`condor_dagman` in the scheduler universe). */
  readonly isDagman: boolean;
  readonly holdReason: string | undefined;
  readonly holdReasonCode: number | undefined;
  readonly holdReasonSubCode: number | undefined;
  /** Set when the job is held. */
  readonly holdKind: HoldKind | undefined;
  readonly exitCode: number | undefined;
  readonly exitBySignal: boolean | undefined;
  readonly exitSignal: number | undefined;
  readonly numJobStarts: number | undefined;
  /** MiB, as evaluated by the schedd (`RequestMemory`; may be an expression in the ad). */
  readonly requestMemory: number | undefined;
  /** MiB, measured (`MemoryUsage`). */
  readonly memoryUsage: number | undefined;
  /** Custom `bps_*` attributes (run, job name, label...), as strings. */
  readonly bps: Readonly<Record<string, string>>;
  /** The whole ad. */
  readonly ad: ClassAd;
}

/** The job fields of one ad; `source` names the command for errors. */
export function summarizeJobAd(ad: ClassAd, source = 'condor_q -json output'): HtcondorJob {
  const clusterId = getNumber(ad, 'ClusterId');
  if (clusterId === undefined) {
    throw new SiteError(`${source}: a job ad has no ClusterId`, { site: 'htcondor', hint: 'do not restrict the output with -attributes without ClusterId,ProcId' });
  }
  const procId = getNumber(ad, 'ProcId') ?? 0;
  const jobStatus = getNumber(ad, 'JobStatus');
  const exitCode = getNumber(ad, 'ExitCode');
  const exitBySignal = getBoolean(ad, 'ExitBySignal');
  const holdReason = getString(ad, 'HoldReason');
  const holdReasonCode = getNumber(ad, 'HoldReasonCode');
  const holdReasonSubCode = getNumber(ad, 'HoldReasonSubCode');
  const bps: Record<string, string> = {};
  for (const [k, v] of Object.entries(ad)) {
    if (/^bps_/i.test(k) && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) bps[k.toLowerCase()] = String(v);
  }
  const cmd = getString(ad, 'Cmd') ?? '';
  return {
    id: `${clusterId}.${procId}`,
    clusterId,
    procId,
    jobStatus,
    state: mapJobStatus({ jobStatus, exitCode, exitBySignal }),
    dagmanJobId: getNumber(ad, 'DAGManJobId'),
    dagNodeName: getString(ad, 'DAGNodeName'),
    isDagman: /(^|\/)condor_dagman$/.test(cmd) || getAttr(ad, 'DAG_Status') !== undefined,
    holdReason,
    holdReasonCode,
    holdReasonSubCode,
    holdKind: jobStatus === 5 ? classifyHold(holdReasonCode, holdReasonSubCode, holdReason) : undefined,
    exitCode,
    exitBySignal,
    exitSignal: getNumber(ad, 'ExitSignal'),
    numJobStarts: getNumber(ad, 'NumJobStarts'),
    requestMemory: getNumber(ad, 'RequestMemory'),
    memoryUsage: getNumber(ad, 'MemoryUsage'),
    bps,
    ad,
  };
}

/** Parses `condor_q -json` or `condor_history -json` output into jobs (empty output: none). */
export function parseCondorJobs(text: string, source = 'condor_q -json output'): HtcondorJob[] {
  return parseClassAdJson(text, source).map((ad) => summarizeJobAd(ad, source));
}

/**
 * The newest record per job id from queue and history together (a job leaves the queue
 * for the history when it completes or is removed; a query can catch it in both).
 */
export function mergeQueueAndHistory(queue: readonly HtcondorJob[], history: readonly HtcondorJob[]): HtcondorJob[] {
  const byId = new Map<string, HtcondorJob>();
  for (const job of queue) byId.set(job.id, job);
  for (const job of history) byId.set(job.id, job);
  return [...byId.values()].sort((a, b) => a.clusterId - b.clusterId || a.procId - b.procId);
}

/**
 * The cluster id printed by `condor_submit_dag` / `condor_submit`
 * (`1 job(s) submitted to cluster 1234.`).
 */
export function parseSubmitClusterId(stdout: string): number {
  const m = /(\d+) job\(s\) submitted to cluster (\d+)\./.exec(stdout);
  if (m === null) {
    throw new SiteError(`condor_submit_dag printed no cluster id: ${JSON.stringify(stdout.slice(-300))}`, { site: 'htcondor', hint: 'run condor_submit_dag by hand on the DAG file to see why it refused it' });
  }
  return Number.parseInt(m[2]!, 10);
}
