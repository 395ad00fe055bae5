import type { Logger } from '../../util/index.js';
import type { GenericWorkflow, GenericWorkflowJob } from '../../workflow/index.js';
import type { JobRecorder } from '../site-plugin.js';

/** A job handed to a worker and not yet reported back. */
export interface Lease {
  readonly id: string;
  readonly job: GenericWorkflowJob;
  readonly attempt: number;
  readonly workerId: string;
  readonly cpus: number;
  readonly memoryMiB: number;
  /** The worker request whose answer carried the lease. */
  readonly seq: number;
  readonly startedAt: number;
  /** Handed out beyond what fits the worker (prefetch). */
  readonly prefetched: boolean;
  /** The run was cancelled: the worker has been asked to stop the job. */
  cancelling: boolean;
}

/** A worker as the scheduler sees it. */
export interface WorkerSlot {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  /** The Slurm job id of the worker's block. */
  readonly siteJobId: string | null;
  readonly cpus: number;
  readonly memoryMiB: number;
  readonly endsAt: number | null;
}

/** Options of {@link PilotScheduler}. */
export interface PilotSchedulerOptions {
  readonly workflow: GenericWorkflow;
  readonly recorder: JobRecorder;
  readonly done?: ReadonlySet<string> | undefined;
  readonly previousAttempts?: ReadonlyMap<string, number> | undefined;
  readonly memoryMiB?: ReadonlyMap<string, number> | undefined;
  /** The largest worker: a job that can never fit one fails at once, with the reason. */
  readonly maxWorker: { readonly cpus: number; readonly memoryMiB: number };
  readonly workerLossRetries: number;
  readonly walltimeMarginMs: number;
  readonly cwd: string;
  readonly log: Logger;
  readonly now?: () => number;
}
