import type { BpsConfig } from '../config/index.js';
import type { Logger } from '../util/index.js';
import type { GenericWorkflow } from '../workflow/index.js';

/**
 * States of a job, named as the reference's `bps report` columns: `unready` (parents not
 * done), `ready` (may start), `running`, `succeeded`, `failed` (retries exhausted),
 * `pruned` (a parent failed, so it never ran), `deleted` (cancelled), `lost` (its process
 * vanished: the driver was killed).
 */
export const JobState = ['unready', 'ready', 'running', 'succeeded', 'failed', 'pruned', 'deleted', 'lost'] as const;
/** One of {@link JobState}. */
export type JobState = (typeof JobState)[number];

/** How one attempt of a job ended. */
export const AttemptEndState = ['succeeded', 'failed', 'deleted', 'lost'] as const;
/** One of {@link AttemptEndState}. */
export type AttemptEndState = (typeof AttemptEndState)[number];

/** An attempt that has started. */
export interface AttemptStart {
  readonly job: string;
  /** 1-based, counting across restarts. */
  readonly attempt: number;
  readonly host: string;
  /** Process id on `host` (local site), if known. */
  readonly pid: number | null;
  /** Start time of that process in clock ticks since boot (Linux), to tell a reused pid apart. */
  readonly pidStart: number | null;
  /** Id in the batch system (Slurm job id, ...), if any. */
  readonly siteJobId: string | null;
  /** Memory requested for this attempt, MiB (scaled up after out-of-memory failures). */
  readonly memoryMiB: number;
  /** Epoch milliseconds. */
  readonly startedAt: number;
  /** Absolute paths of this attempt's stdout and stderr files. */
  readonly stdout: string;
  readonly stderr: string;
}

/** An attempt that has ended. */
export interface AttemptEnd {
  readonly job: string;
  readonly attempt: number;
  readonly state: AttemptEndState;
  readonly exitCode: number | null;
  /** Signal name (`SIGKILL`) when the process was killed. */
  readonly signal: string | null;
  /** Epoch milliseconds (when the end was noticed, for lost attempts). */
  readonly endedAt: number;
  /** Why, in a few words, when the exit code alone does not say it. */
  readonly reason?: string;
  /** The batch system gave up on the job because a parent failed: the job is `pruned`. */
  readonly blocked?: boolean;
}

/**
 * Where a site records what happens to jobs; implemented by the run-state store of `bps/`.
 * Calls are synchronous and must be cheap: the local site makes several per job.
 */
export interface JobRecorder {
  setJobState(job: string, state: JobState): void;
  attemptStarted(attempt: AttemptStart): void;
  attemptEnded(attempt: AttemptEnd): void;
  /** Runs `fn` with the writes it makes stored at once (one transaction); optional. */
  batch?<T>(fn: () => T): T;
}

/** What differs between sites, as flags (never `if (site === 'slurm')` in the core). */
export interface SiteCapabilities {
  /** The workflow runs inside the bps-ts process: `submit` returns when it has finished. */
  readonly runsInDriver: boolean;
  /** The site retries jobs itself (`numberOfRetries`, `retryUnlessExit`). */
  readonly retries: boolean;
  /** The site scales memory between attempts after out-of-memory failures. */
  readonly memoryScaling: boolean;
  /**
   * Jobs live on in the batch system without the driver, and `submit` adopts the ones of an
   * earlier submission still queued or running: a restart must not stop them first.
   */
  readonly adoptsJobs?: boolean;
}

/** Options of {@link SitePlugin.prepare}. */
export interface PrepareOptions {
  readonly workflow: GenericWorkflow;
  readonly config: BpsConfig;
  /** Absolute submit directory; the site writes its files there. */
  readonly submitPath: string;
  /** Directory jobs run in: relative paths in the config are relative to it. */
  readonly cwd: string;
  readonly log: Logger;
}

/** What the prepare stage produced: files written and the settings submit needs (JSON). */
export interface PreparedSite {
  readonly siteType: string;
  /** Absolute paths of the files the site wrote. */
  readonly files: readonly string[];
  readonly settings: Readonly<Record<string, unknown>>;
}

/** Options of {@link SitePlugin.submit}. */
export interface SubmitOptions {
  readonly workflow: GenericWorkflow;
  readonly prepared: PreparedSite;
  readonly recorder: JobRecorder;
  /** Jobs already done (restart): counted as succeeded and not run again. */
  readonly done?: ReadonlySet<string>;
  /** Attempts already made per job (restart): numbering continues after them. */
  readonly previousAttempts?: ReadonlyMap<string, number>;
  /** Memory earned per job by earlier out-of-memory retries, MiB (restart keeps it). */
  readonly memoryMiB?: ReadonlyMap<string, number>;
  /** Called as soon as the site knows the run's id (before any job runs). */
  readonly onStarted?: (siteRunId: string) => void;
  /** Aborting stops the run: running jobs are killed and recorded as `deleted`. */
  readonly signal?: AbortSignal;
  readonly log: Logger;
}

/** What {@link SitePlugin.submit} returns. */
export interface SubmitResult {
  /** The site's id of the run (local: `local:<host>:<pid>`). */
  readonly siteRunId: string;
  /** Whether the workflow has finished (sites that run in the driver). */
  readonly finished: boolean;
}

/** An attempt the run state believes is still running. */
export interface RunningAttempt {
  readonly job: string;
  readonly attempt: number;
  readonly host: string;
  readonly pid: number | null;
  readonly pidStart: number | null;
  readonly siteJobId: string | null;
}

/** Options of {@link SitePlugin.status} and {@link SitePlugin.cancel}. */
export interface RunQueryOptions {
  readonly submitPath: string;
  readonly siteRunId: string;
  readonly running: readonly RunningAttempt[];
}

/** What {@link SitePlugin.ping} found. */
export interface PingResult {
  readonly ok: boolean;
  readonly detail: string;
}

/**
 * A site plugin: the same four operations for every site, each in its own file of
 * `src/sites/<kind>/` (prepare.ts, submit.ts, status.ts, cancel.ts). A site sees only the
 * generic workflow, its configuration and the recorder; never the graph or the registry.
 */
export interface SitePlugin {
  readonly kind: string;
  readonly capabilities: SiteCapabilities;
  /** Writes the site's files (scripts, DAGs) into the submit directory. */
  prepare(options: PrepareOptions): Promise<PreparedSite>;
  /** Starts the workflow (and, when `runsInDriver`, runs it to the end). */
  submit(options: SubmitOptions): Promise<SubmitResult>;
  /** The attempts among `running` that have in fact ended (process gone, batch job done). */
  status(options: RunQueryOptions): Promise<AttemptEnd[]>;
  /** Stops a run; returns the attempts it ended itself (the driver, if alive, records its own). */
  cancel(options: RunQueryOptions): Promise<AttemptEnd[]>;
  /** Checks that the site can run jobs at all (commands found, batch system answering). */
  ping(options: { readonly config: BpsConfig }): Promise<PingResult>;
  /**
   * For sites that do not run in the driver: follows the submitted run until it ends, feeding
   * `options.recorder`; returns early when `options.signal` aborts.
   */
  follow?(options: SubmitOptions, siteRunId: string): Promise<void>;
  /** What the site knows beyond jobs (the pilot site: blocks and workers), as plain tables for `bps-ts report`. */
  details?(options: { readonly submitPath: string }): Promise<SiteDetailTable[]>;
}

/** A plain table a site adds to `bps-ts report` (see {@link SitePlugin.details}). */
export interface SiteDetailTable {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number | null)[])[];
}
