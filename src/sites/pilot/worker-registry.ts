import type { PilotWorkerInfo } from './pilot-protocol.js';

/** States of a worker as the coordinator saw it. */
export const WorkerState = ['active', 'lost', 'stopped'] as const;
/** One of {@link WorkerState}. */
export type WorkerState = (typeof WorkerState)[number];

/** A worker the coordinator has heard from. */
export interface WorkerRecord {
  readonly id: string;
  readonly blockId: string;
  readonly host: string;
  readonly pid: number;
  cpus: number;
  memoryMiB: number;
  endsAt: number | null;
  state: WorkerState;
  /** Epoch milliseconds. */
  readonly firstSeen: number;
  lastSeen: number;
  /** Number of the worker's last request (answers to older ones are stale). */
  lastSeq: number;
  /** Results it reported. */
  jobsDone: number;
  /** CPU time of the worker process, s (as it last said). */
  cpuSeconds: number;
  /** A request of the worker is being held (long poll): it is alive. */
  waiting: boolean;
  /** The last time it asked for work, every ready job was too long for its block's remaining walltime. */
  walltimeBound: boolean;
  /** Why it was lost or stopped. */
  reason: string | null;
}

/** The workers of a run, by id; decides which ones have gone silent. */
export class WorkerRegistry {
  private readonly workers = new Map<string, WorkerRecord>();

  /** Records a request from a worker (registering it on its first); a lost worker that speaks again is active again. */
  touch(info: PilotWorkerInfo, now: number): WorkerRecord {
    let w = this.workers.get(info.id);
    if (w === undefined) {
      w = { id: info.id, blockId: info.blockId, host: info.host, pid: info.pid, cpus: info.cpus, memoryMiB: info.memoryMiB, endsAt: info.endsAt, state: 'active', firstSeen: now, lastSeen: now, lastSeq: 0, jobsDone: 0, cpuSeconds: 0, waiting: false, walltimeBound: false, reason: null };
      this.workers.set(info.id, w);
    }
    w.cpus = info.cpus;
    w.memoryMiB = info.memoryMiB;
    w.endsAt = info.endsAt;
    w.lastSeen = now;
    if (w.state !== 'active') {
      w.state = 'active';
      w.reason = null;
    }
    return w;
  }

  get(id: string): WorkerRecord | undefined {
    return this.workers.get(id);
  }

  all(): WorkerRecord[] {
    return [...this.workers.values()];
  }

  /** Active workers of a block. */
  ofBlock(blockId: string): WorkerRecord[] {
    return this.all().filter((w) => w.blockId === blockId && w.state === 'active');
  }

  /** Active workers silent for longer than `timeoutMs` (a held request counts as alive). */
  silent(now: number, timeoutMs: number): WorkerRecord[] {
    return this.all().filter((w) => w.state === 'active' && !w.waiting && now - w.lastSeen > timeoutMs);
  }

  /** Marks a worker lost or stopped, with the reason. */
  end(id: string, state: 'lost' | 'stopped', reason: string): void {
    const w = this.workers.get(id);
    if (w === undefined || w.state !== 'active') return;
    w.state = state;
    w.reason = reason;
    w.waiting = false;
  }

  /** Puts back workers from a saved state (a restarted coordinator); none is active until it speaks. */
  restore(records: readonly WorkerRecord[]): void {
    for (const r of records) this.workers.set(r.id, { ...r, waiting: false, state: r.state === 'active' ? 'lost' : r.state, reason: r.state === 'active' ? 'the coordinator restarted' : r.reason });
  }
}
