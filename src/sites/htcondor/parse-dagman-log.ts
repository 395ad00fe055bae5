import { SiteError } from '../site-error.js';
import type { HtcondorState } from './htcondor-states.js';

/**
 * One line of DAGMan's `jobstate.log` (`JOBSTATE_LOG`):
 * `timestamp NodeName EVENT condorID jobTag - sequence`, or for DAGMan itself
 * `timestamp INTERNAL *** DAGMAN_STARTED 1234.0 ***`.
 */
export interface JobstateEvent {
  /** Epoch seconds. */
  readonly time: number;
  /** Node name, or `INTERNAL` for DAGMan's own events. */
  readonly node: string;
  /** `SUBMIT`, `EXECUTE`, `JOB_TERMINATED`, `JOB_SUCCESS`, `JOB_FAILURE`, `JOB_HELD`, ... */
  readonly event: string;
  /**
   * `Cluster.Proc` of the job; for JOB_SUCCESS / JOB_FAILURE the node's return value; for
   * DAGMAN_STARTED the DAGMan job id, for DAGMAN_FINISHED its exit code; `null` for `-`.
   */
  readonly value: string | null;
  readonly jobTag: string | null;
  /** Attempt sequence number (a retry gets a new one); `null` for INTERNAL lines. */
  readonly sequence: number | null;
}

/** Parses a `jobstate.log`. Blank lines are skipped; a malformed line is an error naming it. */
export function parseJobstateLog(text: string, source = 'jobstate.log'): JobstateEvent[] {
  const events: JobstateEvent[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const internal = /^(\d+) INTERNAL \*\*\* (\w+)(?: (\S+))? \*\*\*$/.exec(line);
    if (internal !== null) {
      events.push({ time: Number(internal[1]), node: 'INTERNAL', event: internal[2]!, value: internal[3] ?? null, jobTag: null, sequence: null });
      return;
    }
    const m = /^(\d+) (\S+) (\w+) (\S+) (\S+) - (\d+)$/.exec(line);
    if (m === null) {
      throw new SiteError(`${source}: line ${i + 1} is not a jobstate.log line: ${JSON.stringify(line)}`, { site: 'htcondor', hint: 'check that JOBSTATE_LOG points at the file DAGMan wrote' });
    }
    const dash = (s: string): string | null => (s === '-' ? null : s);
    events.push({ time: Number(m[1]), node: m[2]!, event: m[3]!, value: dash(m[4]!), jobTag: dash(m[5]!), sequence: Number(m[6]) });
  });
  return events;
}

/** What the jobstate.log says about one node. */
export interface JobstateNode {
  readonly node: string;
  readonly state: HtcondorState;
  /** Number of attempts (distinct sequence numbers). */
  readonly attempts: number;
  /** `Cluster.Proc` of the latest job. */
  readonly lastJobId: string | null;
  /** Return value of the latest JOB_SUCCESS / JOB_FAILURE. */
  readonly exitCode: number | null;
  readonly holds: number;
}

/** What the jobstate.log says about the run. */
export interface JobstateSummary {
  /** DAGMan's own job id (`1234.0`) from DAGMAN_STARTED (the latest start). */
  readonly dagmanJobId: string | null;
  /** DAGMan's exit code from DAGMAN_FINISHED, `null` while it runs. */
  readonly dagmanExitCode: number | null;
  readonly nodes: ReadonlyMap<string, JobstateNode>;
}

const EVENT_STATE: Readonly<Record<string, HtcondorState>> = {
  SUBMIT: 'PENDING',
  EXECUTE: 'RUNNING',
  JOB_EVICTED: 'PENDING',
  JOB_HELD: 'HELD',
  JOB_RELEASED: 'PENDING',
  JOB_TERMINATED: 'RUNNING',
  JOB_SUCCESS: 'SUCCEEDED',
  JOB_FAILURE: 'FAILED',
  JOB_ABORTED: 'DELETED',
  EXECUTABLE_ERROR: 'FAILED',
  SUBMIT_FAILURE: 'FAILED',
  PRE_SCRIPT_STARTED: 'RUNNING',
  PRE_SCRIPT_SUCCESS: 'PENDING',
  PRE_SCRIPT_FAILURE: 'FAILED',
  POST_SCRIPT_STARTED: 'RUNNING',
  POST_SCRIPT_TERMINATED: 'RUNNING',
  POST_SCRIPT_SUCCESS: 'SUCCEEDED',
  POST_SCRIPT_FAILURE: 'FAILED',
};

/**
 * Folds jobstate events into per-node states (the latest event wins: a JOB_FAILURE followed
 * by a retry's SUBMIT is pending again). A restarted DAG (rescue) appends to the same file;
 * the latest DAGMAN_STARTED / DAGMAN_FINISHED pair wins.
 */
export function summarizeJobstate(events: readonly JobstateEvent[]): JobstateSummary {
  const nodes = new Map<string, { state: HtcondorState; seqs: Set<number>; lastJobId: string | null; exitCode: number | null; holds: number }>();
  let dagmanJobId: string | null = null;
  let dagmanExitCode: number | null = null;
  for (const e of events) {
    if (e.node === 'INTERNAL') {
      if (e.event === 'DAGMAN_STARTED') {
        dagmanJobId = e.value;
        dagmanExitCode = null;
      } else if (e.event === 'DAGMAN_FINISHED') dagmanExitCode = e.value === null ? null : Number(e.value);
      continue;
    }
    const n = nodes.get(e.node) ?? { state: 'UNKNOWN' as HtcondorState, seqs: new Set<number>(), lastJobId: null, exitCode: null, holds: 0 };
    nodes.set(e.node, n);
    n.state = EVENT_STATE[e.event] ?? n.state;
    if (e.sequence !== null) n.seqs.add(e.sequence);
    if (e.event === 'SUBMIT') n.lastJobId = e.value;
    if (e.event === 'JOB_HELD') n.holds++;
    if (e.event === 'JOB_SUCCESS' || e.event === 'JOB_FAILURE') n.exitCode = e.value === null ? null : Number(e.value);
  }
  const out = new Map<string, JobstateNode>();
  for (const [node, n] of nodes) out.set(node, { node, state: n.state, attempts: n.seqs.size, lastJobId: n.lastJobId, exitCode: n.exitCode, holds: n.holds });
  return { dagmanJobId, dagmanExitCode, nodes: out };
}

/** A rescue DAG (`<dag>.rescueNNN`): nodes marked DONE and the failed nodes its header lists. */
export interface RescueDag {
  readonly done: readonly string[];
  readonly failed: readonly string[];
}

/** Parses a rescue DAG written by DAGMan (`DONE node` lines; `# Nodes that failed:` header). */
export function parseRescueDag(text: string): RescueDag {
  const done: string[] = [];
  const failed: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const d = /^DONE\s+(\S+)/i.exec(line);
    if (d !== null) done.push(d[1]!);
    if (/^# Nodes that failed:/.test(line)) {
      const list = (lines[i + 1] ?? '').replace(/^#\s*/, '').trim();
      for (const name of list.split(',')) if (name !== '' && name !== '<ENDLIST>') failed.push(name.trim());
    }
  }
  return { done, failed };
}
