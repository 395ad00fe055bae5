import { SiteError } from '../site-error.js';
import { classifyHold, type HoldKind, type HtcondorState } from './htcondor-states.js';

/** Job event log codes bps-ts reads (HTCondor manual, "Job Event Log Codes"). */
export const UserLogCode = {
  submit: 0,
  execute: 1,
  executableError: 2,
  evicted: 4,
  terminated: 5,
  aborted: 9,
  held: 12,
  released: 13,
  postScriptTerminated: 16,
} as const;

/** One event of a job event log (user log, or DAGMan's `<dag>.nodes.log`). */
export interface UserLogEvent {
  readonly code: number;
  readonly clusterId: number;
  readonly procId: number;
  /** Date and time as written (`2025-02-13 12:00:19` or, in old logs, `03/20 21:04:58`). */
  readonly time: string;
  /** The first line's text after the time (`Job terminated.`). */
  readonly title: string;
  /** Node from a `DAG Node: name` line (submit and POST-script events). */
  readonly dagNode: string | undefined;
  /** `(return value N)` of a normal termination (005, 004 requeue, 016). */
  readonly returnValue: number | undefined;
  /** `(signal N)` of an abnormal termination. */
  readonly signal: number | undefined;
  /** Reason line of hold, release and abort events. */
  readonly reason: string | undefined;
  readonly holdCode: number | undefined;
  readonly holdSubcode: number | undefined;
  /** 004 events of a job that exited and was put back in the queue (`max_retries`). */
  readonly requeued: boolean;
  /** Lines after the first, as written (tabs kept). */
  readonly body: readonly string[];
}

const HEADER = /^(\d{3}) \((-?\d+)\.(-?\d+)\.(-?\d+)\) (\S+ \S+) (.*)$/;

function readEvent(lines: readonly string[], source: string, lineNo: number): UserLogEvent {
  const head = HEADER.exec(lines[0]!);
  if (head === null) {
    throw new SiteError(`${source}: line ${lineNo} does not start an event: ${JSON.stringify(lines[0])}`, { site: 'htcondor', hint: 'check that the file is an HTCondor job event log (not JSON or XML format)' });
  }
  const body = lines.slice(1);
  const code = Number(head[1]);
  let dagNode: string | undefined;
  let returnValue: number | undefined;
  let signal: number | undefined;
  let holdCode: number | undefined;
  let holdSubcode: number | undefined;
  let requeued = false;
  for (const l of body) {
    const t = l.trim();
    const node = /^DAG Node: (\S+)/.exec(t);
    if (node !== null) dagNode = node[1];
    const rv = /Normal termination \(return value (-?\d+)\)/.exec(t);
    if (rv !== null) returnValue = Number(rv[1]);
    const sig = /Abnormal termination \(signal (\d+)\)/.exec(t);
    if (sig !== null) signal = Number(sig[1]);
    const hc = /^Code (-?\d+) Subcode (-?\d+)$/.exec(t);
    if (hc !== null) {
      holdCode = Number(hc[1]);
      holdSubcode = Number(hc[2]);
    }
    if (/Job terminated and was requeued/.test(t)) requeued = true;
  }
  const firstBody = body[0]?.trim();
  const hasReason = code === UserLogCode.held || code === UserLogCode.released || code === UserLogCode.aborted;
  return {
    code,
    clusterId: Number(head[2]),
    procId: Number(head[3]),
    time: head[5]!,
    title: head[6]!.trim(),
    dagNode,
    returnValue,
    signal,
    reason: hasReason && firstBody !== undefined && !/^Code -?\d+ Subcode/.test(firstBody) ? firstBody : undefined,
    holdCode,
    holdSubcode,
    requeued,
    body,
  };
}

/** Parses a job event log in the classic text format: events separated by `...` lines. */
export function parseUserLog(text: string, source = 'job event log'): UserLogEvent[] {
  const events: UserLogEvent[] = [];
  let current: string[] = [];
  let start = 1;
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line === '...') {
      if (current.length > 0) events.push(readEvent(current, source, start));
      current = [];
      start = i + 2;
    } else if (current.length > 0 || line.trim() !== '') {
      current.push(line);
    }
  });
  // A trailing event without its `...` is still being written: leave it for the next read.
  return events;
}

/** What the events say about one job (cluster). */
export interface UserLogJob {
  readonly clusterId: number;
  readonly dagNode: string | undefined;
  readonly state: HtcondorState;
  readonly exitCode: number | undefined;
  readonly signal: number | undefined;
  /** Starts (001 events). */
  readonly starts: number;
  readonly holds: number;
  /** Kind of the latest hold. */
  readonly lastHoldKind: HoldKind | undefined;
  readonly lastHoldReason: string | undefined;
}

/** Folds events into the latest state of each job, in first-seen order. */
export function summarizeUserLog(events: readonly UserLogEvent[]): UserLogJob[] {
  const jobs = new Map<number, { -readonly [K in keyof UserLogJob]: UserLogJob[K] }>();
  for (const e of events) {
    if (e.code === UserLogCode.postScriptTerminated) continue;
    let j = jobs.get(e.clusterId);
    if (j === undefined) {
      j = { clusterId: e.clusterId, dagNode: undefined, state: 'UNKNOWN', exitCode: undefined, signal: undefined, starts: 0, holds: 0, lastHoldKind: undefined, lastHoldReason: undefined };
      jobs.set(e.clusterId, j);
    }
    if (e.dagNode !== undefined) j.dagNode = e.dagNode;
    switch (e.code) {
      case UserLogCode.submit:
      case UserLogCode.released:
      case UserLogCode.evicted:
        j.state = 'PENDING';
        break;
      case UserLogCode.execute:
        j.state = 'RUNNING';
        j.starts++;
        break;
      case UserLogCode.terminated:
        j.exitCode = e.returnValue;
        j.signal = e.signal;
        j.state = e.returnValue === 0 ? 'SUCCEEDED' : 'FAILED';
        break;
      case UserLogCode.executableError:
        j.state = 'FAILED';
        break;
      case UserLogCode.aborted:
        j.state = 'DELETED';
        break;
      case UserLogCode.held:
        j.state = 'HELD';
        j.holds++;
        j.lastHoldReason = e.reason;
        j.lastHoldKind = classifyHold(e.holdCode, e.holdSubcode, e.reason);
        break;
      default:
        break;
    }
  }
  return [...jobs.values()];
}
