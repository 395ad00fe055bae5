/**
 * HTCondor's numeric states and hold codes, and their mapping to the site-neutral states the
 * HTCondor parsers report. Sources: HTCondor manual "Job Status Codes", "Hold Reason Codes"
 * (`condor_holdcodes.h`), "Capturing the Status of Nodes in a File".
 */

/** Site-neutral state of a job or DAG node as the HTCondor parsers report it. */
export const HtcondorState = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'HELD', 'DELETED', 'BLOCKED', 'UNKNOWN'] as const;
/** One of {@link HtcondorState}. */
export type HtcondorState = (typeof HtcondorState)[number];

/** `JobStatus` values of a job ClassAd. */
export const CondorJobStatus = {
  unexpanded: 0,
  idle: 1,
  running: 2,
  removed: 3,
  completed: 4,
  held: 5,
  transferringOutput: 6,
  suspended: 7,
} as const;

/** `NodeStatus` / `DagStatus` values of the DAGMan node status file. */
export const DagNodeStatus = {
  notReady: 0,
  ready: 1,
  preRun: 2,
  submitted: 3,
  postRun: 4,
  done: 5,
  error: 6,
  futile: 7,
} as const;

/** Why a job is held, as far as the retry logic cares. */
export const HoldKind = ['memory', 'user', 'policy', 'other'] as const;
/** One of {@link HoldKind}. */
export type HoldKind = (typeof HoldKind)[number];

/** `HoldReasonCode` values the classification looks at. */
export const HoldCode = {
  userRequest: 1,
  jobPolicy: 3,
  startdHeldJob: 21,
  systemPolicy: 26,
  jobOutOfResources: 34,
} as const;

/** `HoldReasonSubCode` of code 34 for memory (HTCondor 23+; older versions used 0). */
export const MEMORY_SUBCODE = 102;
/** Subcode the generated `on_exit_hold` uses for "exited by a signal or > 128" (reference value). */
export const EXIT_HOLD_MEMORY_SUBCODE = 34;

const MEMORY_TEXT = /memory usage exceeded|over (?:the )?(?:cgroup )?memory limit|out[- ]of[- ]memory|\boom\b/i;

/**
 * Classifies a hold. Memory holds: code 34 with subcode 0 or 102 (the starter's cgroup
 * OOM hold), code 21 with subcode 102 (`WANT_HOLD_IF(MEMORY_EXCEEDED, 102, ...)` startd
 * policy), code 3 with subcode 34 (the generated `on_exit_hold` for signals and exit codes
 * above 128), and system policy holds whose reason says memory.
 */
export function classifyHold(code: number | undefined, subcode: number | undefined, reason: string | undefined): HoldKind {
  const sub = subcode ?? 0;
  if (code === HoldCode.jobOutOfResources && (sub === 0 || sub === MEMORY_SUBCODE)) return 'memory';
  if (code === HoldCode.startdHeldJob && sub === MEMORY_SUBCODE) return 'memory';
  if (code === HoldCode.jobPolicy && sub === EXIT_HOLD_MEMORY_SUBCODE) return 'memory';
  if ((code === HoldCode.systemPolicy || code === HoldCode.startdHeldJob || code === undefined) && reason !== undefined && MEMORY_TEXT.test(reason)) return 'memory';
  if (code === HoldCode.userRequest) return 'user';
  if (code === HoldCode.jobPolicy || code === HoldCode.systemPolicy) return 'policy';
  return 'other';
}

/** Facts about one job needed to name its state. */
export interface JobStatusFacts {
  readonly jobStatus: number | undefined;
  readonly exitCode?: number | undefined;
  readonly exitBySignal?: boolean | undefined;
}

/**
 * Maps a job ClassAd's `JobStatus` (plus exit facts for completed jobs) to a
 * {@link HtcondorState}. Completed jobs succeed only with exit code 0 and no signal;
 * suspended jobs count as held (they make no progress).
 */
export function mapJobStatus(facts: JobStatusFacts): HtcondorState {
  switch (facts.jobStatus) {
    case CondorJobStatus.unexpanded:
    case CondorJobStatus.idle:
      return 'PENDING';
    case CondorJobStatus.running:
    case CondorJobStatus.transferringOutput:
      return 'RUNNING';
    case CondorJobStatus.removed:
      return 'DELETED';
    case CondorJobStatus.completed:
      return facts.exitBySignal === true || (facts.exitCode ?? 0) !== 0 ? 'FAILED' : 'SUCCEEDED';
    case CondorJobStatus.held:
    case CondorJobStatus.suspended:
      return 'HELD';
    default:
      return 'UNKNOWN';
  }
}

/** Facts from one `NodeStatus` ad of the node status file. */
export interface NodeStatusFacts {
  readonly nodeStatus: number | undefined;
  readonly statusDetails?: string | undefined;
  readonly jobProcsHeld?: number | undefined;
}

/**
 * Maps a DAG node's status to a {@link HtcondorState}: not-ready and ready nodes are
 * pending; a submitted node is held when a proc is held, running when DAGMan says
 * `not_idle`, pending otherwise; futile nodes (an ancestor failed) are blocked; a failed
 * node whose job was removed is deleted.
 */
export function mapNodeStatus(facts: NodeStatusFacts): HtcondorState {
  const details = facts.statusDetails ?? '';
  switch (facts.nodeStatus) {
    case DagNodeStatus.notReady:
    case DagNodeStatus.ready:
      return 'PENDING';
    case DagNodeStatus.preRun:
    case DagNodeStatus.postRun:
      return 'RUNNING';
    case DagNodeStatus.submitted:
      if ((facts.jobProcsHeld ?? 0) > 0) return 'HELD';
      return details === 'not_idle' ? 'RUNNING' : 'PENDING';
    case DagNodeStatus.done:
      return 'SUCCEEDED';
    case DagNodeStatus.error:
      return /ULOG_JOB_ABORTED|\bremoved\b|condor_rm/i.test(details) ? 'DELETED' : 'FAILED';
    case DagNodeStatus.futile:
      return 'BLOCKED';
    default:
      return 'UNKNOWN';
  }
}
