import type { GenericWorkflowJob } from '../../workflow/index.js';
import { attemptLogPaths, isRetryable, nextMemory } from '../local/index.js';
import { JobDag } from './job-dag.js';
import { leaseId, type PilotJobResult, type PilotJobSpec } from './pilot-protocol.js';
import { RuntimeEstimates } from './runtime-estimates.js';
import type { Lease, PilotSchedulerOptions, WorkerSlot } from './scheduler-types.js';

export type { Lease, PilotSchedulerOptions, WorkerSlot } from './scheduler-types.js';

/** Jobs skipped in one scan of the ready queue before giving up on a worker. */
const MAX_SKIPS = 256;

/**
 * The coordinator's scheduling core, without any I/O but the recorder: hands ready jobs to
 * workers packed by cores and memory (plus `prefetch` extra jobs), keeps jobs off blocks that
 * would end before the job's runtime estimate, and applies results with the usual retry
 * rules (`numberOfRetries`, `retryUnlessExit`, memory scaled after out-of-memory kills).
 * A job whose worker was lost is queued again without using a retry, up to `workerLossRetries`.
 */
export class PilotScheduler {
  readonly dag: JobDag;
  readonly estimates = new RuntimeEstimates();
  private readonly leases = new Map<string, Lease>();
  private readonly byWorker = new Map<string, Set<string>>();
  private readonly attempts: Map<string, number>;
  private readonly memory: Map<string, number>;
  private readonly retriesLeft = new Map<string, number>();
  private readonly lossesLeft = new Map<string, number>();
  private readonly now: () => number;
  private cancelled = false;

  /** Runs `fn` with the recorder's writes in one transaction when the recorder can batch. */
  batch<T>(fn: () => T): T {
    const { recorder } = this.options;
    return recorder.batch ? recorder.batch(fn) : fn();
  }

  constructor(private readonly options: PilotSchedulerOptions) {
    this.dag = new JobDag(options.workflow, options.recorder, options.done);
    this.attempts = new Map(options.previousAttempts ?? []);
    this.memory = new Map(options.memoryMiB ?? []);
    this.now = options.now ?? Date.now;
    for (const j of options.workflow.jobs) {
      this.retriesLeft.set(j.name, j.resources.numberOfRetries);
      this.lossesLeft.set(j.name, options.workerLossRetries);
    }
    this.dag.check = (job) => this.rejectOversized(job);
  }

  /** Queues the jobs that can run now. */
  start(): void {
    this.dag.start();
  }

  /** Whether the run was cancelled. */
  get aborted(): boolean {
    return this.cancelled;
  }

  /** Whether every job has ended and no lease is out. */
  isFinished(): boolean {
    return this.leases.size === 0 && this.dag.openJobs === 0;
  }

  /** Ready jobs and the cores they ask for; leases out. */
  load(): { ready: number; readyCpus: number; leased: number; leasedCpus: number } {
    let readyCpus = 0;
    for (const name of this.dag.ready.toArray()) readyCpus += this.cpusOf(this.dag.jobs.get(name)!);
    let leasedCpus = 0;
    for (const l of this.leases.values()) leasedCpus += l.cpus;
    return { ready: this.dag.ready.length, readyCpus, leased: this.leases.size, leasedCpus };
  }

  lease(id: string): Lease | undefined {
    return this.leases.get(id);
  }

  leasesOf(workerId: string): Lease[] {
    return [...(this.byWorker.get(workerId) ?? [])].map((id) => this.leases.get(id)!);
  }

  /**
   * Hands ready jobs to a worker: those that fit its free cores and memory, then up to
   * `prefetch` more that fit the worker as a whole. `walltimeBound` says a job was held back
   * because the worker's block ends too soon for it.
   */
  assign(worker: WorkerSlot, options: { readonly seq: number; readonly prefetch: number }): { jobs: PilotJobSpec[]; walltimeBound: boolean } {
    if (this.cancelled || this.dag.ready.length === 0) return { jobs: [], walltimeBound: false };
    const held = this.leasesOf(worker.id);
    let freeCpus = worker.cpus - held.filter((l) => !l.prefetched).reduce((s, l) => s + l.cpus, 0);
    let freeMemory = worker.memoryMiB - held.filter((l) => !l.prefetched).reduce((s, l) => s + l.memoryMiB, 0);
    let prefetchLeft = options.prefetch - held.filter((l) => l.prefetched).length;
    const now = this.now();
    let walltimeBound = false;
    const prefetched = new Set<string>();
    const names = this.dag.ready.take((name) => {
      const job = this.dag.jobs.get(name)!;
      const cpus = this.cpusOf(job);
      const mem = this.memoryOf(job);
      const estimate = this.estimates.estimate(job.label);
      if (worker.endsAt !== null && estimate !== undefined && now + estimate + this.options.walltimeMarginMs > worker.endsAt) {
        walltimeBound = true;
        return 'skip';
      }
      if (cpus <= freeCpus && mem <= freeMemory) {
        freeCpus -= cpus;
        freeMemory -= mem;
        return 'take';
      }
      if (prefetchLeft > 0 && cpus <= worker.cpus && mem <= worker.memoryMiB) {
        prefetchLeft--;
        prefetched.add(name);
        return 'take';
      }
      return freeCpus < 1 && prefetchLeft <= 0 ? 'stop' : 'skip';
    }, MAX_SKIPS);
    return { jobs: names.map((name) => this.startLease(worker, this.dag.jobs.get(name)!, options.seq, prefetched.has(name), now)), walltimeBound };
  }

  /** Applies a worker's result; false when the lease is unknown (already ended, or another coordinator's). */
  complete(result: PilotJobResult): boolean {
    const lease = this.leases.get(result.lease);
    if (lease === undefined) return false;
    this.dropLease(lease);
    const { job, attempt } = lease;
    const { recorder, log } = this.options;
    if (lease.cancelling) {
      recorder.attemptEnded({ job: job.name, attempt, state: 'deleted', exitCode: result.exitCode, signal: result.signal, endedAt: result.endedAt, reason: 'cancelled' });
      this.dag.finish(job.name, 'deleted');
      return true;
    }
    if (result.lost !== undefined) {
      this.endLost(lease, result.lost, false, result.endedAt);
      return true;
    }
    const ok = result.exitCode === 0 && result.signal === null;
    recorder.attemptEnded({ job: job.name, attempt, state: ok ? 'succeeded' : 'failed', exitCode: result.exitCode, signal: result.signal, endedAt: result.endedAt, ...(result.error !== undefined ? { reason: result.error } : {}) });
    if (ok) {
      this.estimates.record(job.label, result.endedAt - result.startedAt);
      this.dag.finish(job.name, 'succeeded');
    } else if ((this.retriesLeft.get(job.name) ?? 0) > 0 && isRetryable(job.resources, result)) {
      this.retriesLeft.set(job.name, (this.retriesLeft.get(job.name) ?? 0) - 1);
      this.memory.set(job.name, Math.min(nextMemory(job.resources, lease.memoryMiB, result), Math.max(lease.memoryMiB, this.options.maxWorker.memoryMiB)));
      log.warn({ job: job.name, attempt, exitCode: result.exitCode, signal: result.signal }, `job ${job.name} failed; retrying`);
      this.dag.requeue(job.name);
    } else {
      log.warn({ job: job.name, attempt, exitCode: result.exitCode, signal: result.signal }, `job ${job.name} failed`);
      this.dag.finish(job.name, 'failed');
    }
    return true;
  }

  /**
   * Ends a lease whose worker is gone (or never got it: `free`, which costs no requeue) as
   * `lost`; the job runs again unless it has lost its worker too often.
   */
  lose(id: string, reason: string, options: { readonly free?: boolean } = {}): void {
    const lease = this.leases.get(id);
    if (lease === undefined) return;
    this.dropLease(lease);
    if (lease.cancelling) {
      this.options.recorder.attemptEnded({ job: lease.job.name, attempt: lease.attempt, state: 'deleted', exitCode: null, signal: null, endedAt: this.now(), reason: `cancelled; ${reason}` });
      this.dag.finish(lease.job.name, 'deleted');
      return;
    }
    this.endLost(lease, reason, options.free === true, this.now());
  }

  /** Cancels the run: unstarted jobs are deleted at once; returns the leases to stop. */
  abort(): Lease[] {
    this.cancelled = true;
    this.dag.deleteUnstarted();
    for (const l of this.leases.values()) l.cancelling = true;
    return [...this.leases.values()];
  }

  private endLost(lease: Lease, reason: string, free: boolean, endedAt: number): void {
    const name = lease.job.name;
    this.options.recorder.attemptEnded({ job: name, attempt: lease.attempt, state: 'lost', exitCode: null, signal: null, endedAt, reason });
    const left = this.lossesLeft.get(name) ?? 0;
    if (free || left > 0) {
      if (!free) this.lossesLeft.set(name, left - 1);
      this.options.log.warn({ job: name, attempt: lease.attempt, reason }, `job ${name} lost its worker; queued again`);
      this.dag.requeue(name);
    } else {
      this.options.log.warn({ job: name, attempt: lease.attempt, reason }, `job ${name} lost its worker too often; failed`);
      this.dag.finish(name, 'failed');
    }
  }

  private startLease(worker: WorkerSlot, job: GenericWorkflowJob, seq: number, prefetched: boolean, now: number): PilotJobSpec {
    const attempt = (this.attempts.get(job.name) ?? 0) + 1;
    this.attempts.set(job.name, attempt);
    const memoryMiB = this.memoryOf(job);
    const cpus = this.cpusOf(job);
    const logs = attemptLogPaths(this.options.workflow.submitPath, job, attempt);
    const lease: Lease = { id: leaseId(job.name, attempt), job, attempt, workerId: worker.id, cpus, memoryMiB, seq, startedAt: now, prefetched, cancelling: false };
    this.leases.set(lease.id, lease);
    let set = this.byWorker.get(worker.id);
    if (set === undefined) this.byWorker.set(worker.id, (set = new Set()));
    set.add(lease.id);
    this.options.recorder.attemptStarted({ job: job.name, attempt, host: worker.host, pid: worker.pid, pidStart: null, siteJobId: worker.siteJobId, memoryMiB, startedAt: now, ...logs });
    this.dag.markLeased(job.name);
    const env = { BPS_TS_JOB_NAME: job.name, BPS_TS_JOB_ATTEMPT: String(attempt), BPS_TS_JOB_MEMORY_MIB: String(memoryMiB), BPS_TS_RUN: this.options.workflow.name };
    return { lease: lease.id, job: job.name, label: job.label, attempt, commands: job.commands, cwd: this.options.cwd, env, ...logs, cpus, memoryMiB };
  }

  /** A job no worker can hold fails at once, with an attempt that says why. */
  private rejectOversized(job: GenericWorkflowJob): string | undefined {
    const { cpus, memoryMiB } = this.options.maxWorker;
    const why = this.cpusOf(job) > cpus ? `it needs ${this.cpusOf(job)} cores but a pilot worker has ${cpus}: raise coresPerNode (or lower workersPerNode), or lower requestCpus`
      : this.memoryOf(job) > memoryMiB ? `it needs ${this.memoryOf(job)} MiB but a pilot worker has ${memoryMiB} MiB: raise memoryPerNode (or lower workersPerNode), or lower requestMemory`
      : undefined;
    if (why === undefined) return undefined;
    const attempt = (this.attempts.get(job.name) ?? 0) + 1;
    this.attempts.set(job.name, attempt);
    const now = this.now();
    this.options.recorder.attemptStarted({ job: job.name, attempt, host: '', pid: null, pidStart: null, siteJobId: null, memoryMiB: this.memoryOf(job), startedAt: now, ...attemptLogPaths(this.options.workflow.submitPath, job, attempt) });
    this.options.recorder.attemptEnded({ job: job.name, attempt, state: 'failed', exitCode: null, signal: null, endedAt: now, reason: `job '${job.name}' cannot run on this pilot site: ${why}` });
    this.options.log.warn({ job: job.name }, `job ${job.name} cannot run: ${why}`);
    return why;
  }

  private dropLease(lease: Lease): void {
    this.leases.delete(lease.id);
    this.byWorker.get(lease.workerId)?.delete(lease.id);
  }

  private cpusOf(job: GenericWorkflowJob): number {
    return Math.max(1, Math.ceil(job.resources.requestCpus));
  }

  private memoryOf(job: GenericWorkflowJob): number {
    return this.memory.get(job.name) ?? job.resources.requestMemory;
  }
}
