import { constants } from 'node:os';
import type { AttemptEndState } from '../site-plugin.js';
import { UserLogCode, type UserLogEvent } from './parse-user-log.js';

/** How one attempt (one start of a node's job) ended, as the event log tells it. */
export interface NodeAttemptEnd {
  readonly state: AttemptEndState;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly endedAt: number;
  readonly reason?: string;
}

/** One start of a node's job. */
export interface NodeAttempt {
  readonly clusterId: number;
  readonly host: string;
  /** `Memory = N` of the execute event, MiB, if written. */
  readonly memoryMiB: number | undefined;
  readonly startedAt: number;
  end: NodeAttemptEnd | undefined;
}

/** What the event log says about one DAG node in one DAGMan run. */
export interface NodeEvents {
  readonly attempts: NodeAttempt[];
  /** Set when the node's job was aborted: by `condor_rm` (`removed`) or a policy (`policy`). */
  aborted: 'removed' | 'policy' | undefined;
}

const SIGNAL_NAMES = new Map(Object.entries(constants.signals).map(([name, n]) => [n, name]));

/** `SIGKILL` for 9; `null` when unknown. */
export function nameSignal(n: number | undefined): string | null {
  return n === undefined ? null : (SIGNAL_NAMES.get(n) ?? `SIG${n}`);
}

/** Epoch ms of an event time (`2025-02-13 12:00:19`, local time); `fallback` when unreadable. */
function readEventTime(time: string, fallback: number): number {
  const ms = new Date(time.replace(' ', 'T')).getTime();
  return Number.isFinite(ms) ? ms : fallback;
}

/** How a hold ended the running attempt: the generated `on_exit_hold` reason names the signal or exit code. */
function endByHold(e: UserLogEvent, endedAt: number): NodeAttemptEnd {
  const reason = e.reason ?? 'held';
  const sig = /raised a signal (\d+)/.exec(reason);
  const code = /exit code \((\d+)\)/.exec(reason);
  return { state: 'failed', exitCode: code === null ? null : Number(code[1]), signal: sig === null ? null : nameSignal(Number(sig[1])), endedAt, reason: `held: ${reason}` };
}

/**
 * Folds the events of a DAG's node log (`<dag>.nodes.log`) into the attempts of each node,
 * keeping only jobs of clusters above `afterCluster` (the DAGMan job of the run: the schedd
 * numbers clusters upwards, so older runs of the same DAG, which share the log, drop out).
 */
export function foldNodeEvents(events: readonly UserLogEvent[], afterCluster: number): Map<string, NodeEvents> {
  const nodeOf = new Map<number, string>();
  const nodes = new Map<string, NodeEvents>();
  const now = Date.now();
  for (const e of events) {
    if (e.clusterId <= afterCluster) continue;
    if (e.code === UserLogCode.submit && e.dagNode !== undefined) nodeOf.set(e.clusterId, e.dagNode);
    const node = nodeOf.get(e.clusterId);
    if (node === undefined) continue;
    let facts = nodes.get(node);
    if (facts === undefined) {
      facts = { attempts: [], aborted: undefined };
      nodes.set(node, facts);
    }
    const at = readEventTime(e.time, now);
    const open = facts.attempts.findLast((a) => a.clusterId === e.clusterId && a.end === undefined);
    switch (e.code) {
      case UserLogCode.execute: {
        // The sinful string's alias names the machine; the bare address otherwise.
        const host = /alias=([^>&]+)/.exec(e.title)?.[1] ?? /<([^:?>]+)/.exec(e.title)?.[1] ?? 'unknown';
        const memory = e.body.map((l) => /^\s*Memory\s*=\s*(\d+)/.exec(l)).find((m) => m !== null);
        facts.attempts.push({ clusterId: e.clusterId, host, memoryMiB: memory ? Number(memory[1]) : undefined, startedAt: at, end: undefined });
        break;
      }
      case UserLogCode.terminated:
      case UserLogCode.evicted:
        if (open !== undefined) {
          const ok = e.returnValue === 0 && e.signal === undefined && e.code === UserLogCode.terminated;
          open.end = { state: ok ? 'succeeded' : 'failed', exitCode: e.returnValue ?? null, signal: nameSignal(e.signal), endedAt: at, ...(e.code === UserLogCode.evicted && !e.requeued ? { reason: 'evicted' } : {}) };
        }
        break;
      case UserLogCode.executableError:
        if (open !== undefined) open.end = { state: 'failed', exitCode: null, signal: null, endedAt: at, reason: e.title };
        break;
      case UserLogCode.held:
        if (open !== undefined) open.end = endByHold(e, at);
        break;
      case UserLogCode.aborted: {
        facts.aborted = /condor_rm/.test(e.reason ?? e.body.join(' ')) ? 'removed' : 'policy';
        const state = facts.aborted === 'removed' ? 'deleted' : 'failed';
        if (open !== undefined) open.end = { state, exitCode: null, signal: null, endedAt: at, reason: `aborted: ${e.reason ?? 'removed'}` };
        break;
      }
      default:
        break;
    }
  }
  return nodes;
}
