import type { Logger } from '../../util/index.js';
import type { PilotJobResult, PilotJobSpec } from './pilot-protocol.js';
import type { RunPilotJob } from './run-job-process.js';

interface RunningJob {
  readonly spec: PilotJobSpec;
  readonly abort: AbortController;
  /** Why the worker stopped it, if it did. */
  stoppedBecause: { readonly cancelled: true } | { readonly lost: string } | undefined;
}

/** Options of {@link WorkerJobs}. */
export interface WorkerJobsOptions {
  readonly cpus: number;
  readonly memoryMiB: number;
  readonly runJob: RunPilotJob;
  readonly killGraceMs: number;
  /** The environment jobs start from (the worker's own). */
  readonly baseEnv: Readonly<Record<string, string | undefined>>;
  readonly log: Logger;
  /** Called when a result was added to the outbox. */
  readonly onResult: () => void;
}

/**
 * The jobs a worker holds: queued ones start first-fit as soon as their cores and memory are
 * free on the worker; each that ends leaves a result in the outbox until the coordinator has
 * acknowledged it.
 */
export class WorkerJobs {
  readonly outbox: PilotJobResult[] = [];
  private readonly queue: PilotJobSpec[] = [];
  private readonly running = new Map<string, RunningJob>();
  private usedCpus = 0;
  private usedMemory = 0;
  /** While true no queued job starts (the coordinator cannot be reached). */
  paused = false;
  private drainWaiters: (() => void)[] = [];
  /** The worker's environment, copied once: reading process.env costs more than the job itself. */
  private readonly baseEnv: Readonly<Record<string, string>>;

  constructor(private readonly options: WorkerJobsOptions) {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(options.baseEnv)) if (v !== undefined) env[k] = v;
    this.baseEnv = env;
  }

  /** Leases held: running and queued. */
  holding(): string[] {
    return [...this.running.keys(), ...this.queue.map((j) => j.lease)];
  }

  /** Jobs running now. */
  get runningCount(): number {
    return this.running.size;
  }

  /** Whether the worker could take more work: free cores, or room in the prefetch queue. */
  wantsWork(prefetch: number): boolean {
    const queuedCpus = this.queue.reduce((s, j) => s + j.cpus, 0);
    return this.options.cpus - this.usedCpus - queuedCpus >= 1 || this.queue.length < prefetch;
  }

  /** Takes jobs from the coordinator and starts what fits. */
  add(jobs: readonly PilotJobSpec[]): void {
    this.queue.push(...jobs);
    this.pump();
  }

  /** Stops the given leases (queued: dropped; running: killed), reporting them cancelled. */
  cancel(ids: readonly string[]): void {
    for (const id of ids) {
      const i = this.queue.findIndex((j) => j.lease === id);
      if (i >= 0) {
        this.queue.splice(i, 1);
        this.report({ lease: id, exitCode: null, signal: null, startedAt: Date.now(), endedAt: Date.now(), cancelled: true });
        continue;
      }
      const job = this.running.get(id);
      if (job !== undefined && job.stoppedBecause === undefined) {
        job.stoppedBecause = { cancelled: true };
        job.abort.abort();
      }
    }
  }

  /** Gives up every job (the worker is stopping): reported as lost, with `reason`. */
  stopAll(reason: string): void {
    for (const spec of this.queue.splice(0)) this.report({ lease: spec.lease, exitCode: null, signal: null, startedAt: Date.now(), endedAt: Date.now(), lost: reason });
    for (const job of this.running.values()) {
      if (job.stoppedBecause !== undefined) continue;
      job.stoppedBecause = { lost: reason };
      job.abort.abort();
    }
  }

  /** Resolves when no job is running. */
  drained(): Promise<void> {
    if (this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Starts queued jobs, first fit, while cores and memory allow. */
  pump(): void {
    if (this.paused) return;
    for (let i = 0; i < this.queue.length; ) {
      const spec = this.queue[i]!;
      const fits = spec.cpus <= this.options.cpus - this.usedCpus && spec.memoryMiB <= this.options.memoryMiB - this.usedMemory;
      // An idle worker runs a job even if it asks for more than the worker has: the coordinator chose it.
      if (fits || this.running.size === 0) {
        this.queue.splice(i, 1);
        this.start(spec);
      } else i++;
    }
  }

  private start(spec: PilotJobSpec): void {
    const job: RunningJob = { spec, abort: new AbortController(), stoppedBecause: undefined };
    this.running.set(spec.lease, job);
    this.usedCpus += spec.cpus;
    this.usedMemory += spec.memoryMiB;
    const startedAt = Date.now();
    const env = { ...this.baseEnv, ...spec.env };
    const finish = (exit: { exitCode: number | null; signal: string | null; error?: string }): void => {
      this.running.delete(spec.lease);
      this.usedCpus -= spec.cpus;
      this.usedMemory -= spec.memoryMiB;
      const why = job.stoppedBecause;
      this.report({
        lease: spec.lease, exitCode: exit.exitCode, signal: exit.signal, startedAt, endedAt: Date.now(),
        ...(exit.error !== undefined ? { error: exit.error } : {}),
        ...(why !== undefined && 'cancelled' in why ? { cancelled: true } : {}),
        ...(why !== undefined && 'lost' in why ? { lost: why.lost } : {}),
      });
      if (this.running.size === 0) for (const resolve of this.drainWaiters.splice(0)) resolve();
      this.pump();
    };
    this.options.runJob(spec, { stdout: spec.stdout, stderr: spec.stderr, env, signal: job.abort.signal, killGraceMs: this.options.killGraceMs }).then(finish, (err: unknown) => {
      this.options.log.error({ job: spec.job, err: String(err) }, `pilot worker: job ${spec.job} could not run`);
      finish({ exitCode: 127, signal: null, error: String(err) });
    });
  }

  private report(result: PilotJobResult): void {
    this.outbox.push(result);
    this.options.onResult();
  }
}
