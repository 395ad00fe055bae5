import type { Logger } from '../../util/index.js';
import type { ExchangeRequest, ExchangeResponse, PilotJobSpec } from './pilot-protocol.js';
import type { PilotScheduler } from './pilot-scheduler.js';
import type { WorkerRecord, WorkerRegistry } from './worker-registry.js';

/** Options of {@link Coordinator}. */
export interface CoordinatorOptions {
  readonly scheduler: PilotScheduler;
  readonly registry: WorkerRegistry;
  /** The Slurm job id of a block, for the attempts' records. */
  readonly siteJobIdOf: (blockId: string) => string | null;
  /** A worker of this block has reached the coordinator. */
  readonly onBlockConnected?: (blockId: string) => void;
  readonly heartbeatMs: number;
  readonly prefetch: number;
  readonly log: Logger;
  readonly now?: () => number;
}

interface Waiter {
  readonly worker: WorkerRecord;
  readonly seq: number;
  readonly timer: NodeJS.Timeout;
  readonly resolve: (response: ExchangeResponse) => void;
}

/**
 * Answers worker exchanges: records the results, requeues leases that never reached the
 * worker, tells the worker which of its leases to stop, and hands it work. A worker with room
 * and nothing to report is held (long poll) until work comes, a cancel concerns it, or a
 * heartbeat period has passed, so idle workers cost one request per heartbeat.
 */
export class Coordinator {
  private readonly waiters = new Map<string, Waiter>();
  private stopping = false;
  private readonly now: () => number;

  constructor(private readonly options: CoordinatorOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Whether `stop` was called. */
  get stopped(): boolean {
    return this.stopping;
  }

  /**
   * Handles one exchange; resolves when there is something to say (or the hold times out). The
   * results it records and the jobs it hands out are stored in one transaction.
   */
  exchange(req: ExchangeRequest, whenClosed?: (callback: () => void) => void): Promise<ExchangeResponse> | ExchangeResponse {
    // Boxed: a transaction may not return a promise (the held answer is one).
    return this.options.scheduler.batch(() => ({ answer: this.handleExchange(req, whenClosed) })).answer;
  }

  private handleExchange(req: ExchangeRequest, whenClosed?: (callback: () => void) => void): Promise<ExchangeResponse> | ExchangeResponse {
    const { scheduler, registry } = this.options;
    const w = registry.touch(req.worker, this.now());
    if (req.cpuSeconds !== undefined) w.cpuSeconds = Math.max(w.cpuSeconds, req.cpuSeconds);
    this.options.onBlockConnected?.(w.blockId);
    for (const r of req.results) {
      if (scheduler.lease(r.lease)?.workerId === w.id && scheduler.complete(r)) w.jobsDone++;
    }
    // An older request overtaken by a newer one only delivers its results.
    if (req.seq <= w.lastSeq) return this.respond(req.seq, [], []);
    this.release(w.id);
    w.lastSeq = req.seq;
    const holding = new Set(req.holding);
    const reported = new Set(req.results.map((r) => r.lease));
    for (const lease of scheduler.leasesOf(w.id)) {
      // Sent in the answer to an earlier request, yet the worker does not have it: that answer was lost.
      if (lease.seq < req.seq && !holding.has(lease.id) && !reported.has(lease.id)) scheduler.lose(lease.id, 'the answer carrying the job never reached the worker', { free: true });
    }
    const cancel = req.holding.filter((id) => {
      const lease = scheduler.lease(id);
      return lease === undefined || lease.workerId !== w.id || lease.cancelling;
    });
    if (this.stopping) return this.respond(req.seq, [], req.holding, true);
    const jobs = this.assign(w, req.seq);
    if (jobs.length > 0 || !req.wait || cancel.length > 0 || req.results.length > 0) return this.respond(req.seq, jobs, cancel);
    return new Promise<ExchangeResponse>((resolve) => {
      const timer = setTimeout(() => this.release(w.id), this.options.heartbeatMs);
      this.waiters.set(w.id, { worker: w, seq: req.seq, timer, resolve });
      w.waiting = true;
      whenClosed?.(() => this.release(w.id, req.seq));
    });
  }

  /** New jobs are ready: held workers get a chance at them. */
  wake(): void {
    for (const waiter of [...this.waiters.values()]) {
      const jobs = this.assign(waiter.worker, waiter.seq);
      if (jobs.length > 0) this.resolveWaiter(waiter, this.respond(waiter.seq, jobs, []));
    }
  }

  /** Answers held workers that hold leases being cancelled. */
  wakeCancelled(): void {
    for (const waiter of [...this.waiters.values()]) {
      const cancel = this.options.scheduler.leasesOf(waiter.worker.id).filter((l) => l.cancelling).map((l) => l.id);
      if (cancel.length > 0) this.resolveWaiter(waiter, this.respond(waiter.seq, [], cancel));
    }
  }

  /** The run is over: every held worker, and each that asks from now on, is told to stop. */
  stop(): void {
    this.stopping = true;
    for (const waiter of [...this.waiters.values()]) this.resolveWaiter(waiter, this.respond(waiter.seq, [], [], true));
  }

  /** Workers whose requests are held. */
  heldWorkers(): number {
    return this.waiters.size;
  }

  private assign(w: WorkerRecord, seq: number): PilotJobSpec[] {
    const { jobs, walltimeBound } = this.options.scheduler.assign(
      { id: w.id, host: w.host, pid: w.pid, siteJobId: this.options.siteJobIdOf(w.blockId), cpus: w.cpus, memoryMiB: w.memoryMiB, endsAt: w.endsAt },
      { seq, prefetch: this.options.prefetch },
    );
    w.walltimeBound = jobs.length === 0 && walltimeBound;
    return jobs;
  }

  /** Ends the held request of a worker with an empty answer (only request `seq`, when given). */
  private release(workerId: string, seq?: number): void {
    const waiter = this.waiters.get(workerId);
    if (waiter !== undefined && (seq === undefined || waiter.seq === seq)) this.resolveWaiter(waiter, this.respond(waiter.seq, [], [], this.stopping));
  }

  private resolveWaiter(waiter: Waiter, response: ExchangeResponse): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter.worker.id);
    waiter.worker.waiting = false;
    waiter.worker.lastSeen = this.now();
    waiter.resolve(response);
  }

  private respond(seq: number, jobs: readonly PilotJobSpec[], cancel: readonly string[], stop = false): ExchangeResponse {
    return { seq, jobs, cancel, stop, prefetch: this.options.prefetch, heartbeatMs: this.options.heartbeatMs };
  }
}
