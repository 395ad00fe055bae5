import type { JobResources, TagValue } from '../cluster/index.js';

/** Version of the generic-workflow JSON file this code writes and reads. */
export const GENERIC_WORKFLOW_FORMAT_VERSION = 1;

/** What a job does: set the run up, run quanta, or fold the results into the registry. */
export const JobKind = ['init', 'payload', 'final'] as const;
/** One of {@link JobKind}. */
export type JobKind = (typeof JobKind)[number];

/** One job of a workflow: everything a site needs to run it, nothing about the graph. */
export interface GenericWorkflowJob {
  /** Unique in the workflow; only `A-Z a-z 0-9 _ . -`, never starting with `-` or `.`. */
  readonly name: string;
  /** Grouping label for reports: `pipetaskInit`, a cluster or task label, `finalJob`. */
  readonly label: string;
  readonly kind: JobKind;
  /** Data-ID values of the job (for reports and log paths). */
  readonly tags: Readonly<Record<string, TagValue>>;
  /** Ids of the quanta the job runs (payload jobs). */
  readonly quantumIds: readonly string[];
  /** Quanta per task label. */
  readonly quantaCounts: Readonly<Record<string, number>>;
  /** Commands run in order, each an argument array (argv[0] is the executable); the job fails at the first failure. */
  readonly commands: readonly (readonly string[])[];
  readonly resources: JobResources;
  /** Names of the jobs that must finish first. */
  readonly parents: readonly string[];
  /** Runs once its parents are done even if some failed or were skipped (the final job). */
  readonly runAlways: boolean;
  /** Log files, relative to the submit directory (see `resolveJobLogPaths`). */
  readonly stdout: string;
  readonly stderr: string;
  /** Name of a concurrency limit the site should apply (`db_limit`), if any. */
  readonly concurrencyLimit?: string;
  /**
   * File (relative to the submit directory) holding the quantum ids, one per line, when they
   * are too many for one command-line argument; the command then passes `@<absolute path>`.
   */
  readonly quantumIdsFile?: string;
}

/** Values identifying the run, as the reference's `run_attrs` (`bps_project`, ...). */
export interface WorkflowRunAttributes {
  readonly operator: string;
  readonly project: string;
  readonly campaign: string;
  readonly payloadName: string;
  readonly outputRun: string;
  readonly computeSite: string;
}

/** A run as a DAG of jobs: the only thing a site sees. */
export interface GenericWorkflow {
  readonly formatVersion: number;
  /** `uniqProcName`. */
  readonly name: string;
  readonly submitPath: string;
  /** The repository (`butlerConfig`). */
  readonly repo: string;
  /** The quantum graph every job reads. */
  readonly graphFile: string;
  readonly computeSite: string;
  readonly runAttributes: WorkflowRunAttributes;
  /** Jobs with parents before children: the init job first, the final job last. */
  readonly jobs: readonly GenericWorkflowJob[];
}

/** Counts reported by the transform stage. */
export interface WorkflowCounts {
  readonly jobs: number;
  readonly payloadJobs: number;
  readonly quanta: number;
  readonly dependencies: number;
  readonly hasInit: boolean;
  readonly hasFinal: boolean;
}
