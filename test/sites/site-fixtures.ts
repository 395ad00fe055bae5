import { join } from 'node:path';
import type { AttemptEnd, AttemptStart, JobRecorder, JobState } from '../../src/sites/index.js';
import { BpsConfig } from '../../src/config/index.js';
import { makeTempDir } from '../support/temp-dirs.js';
import { GENERIC_WORKFLOW_FORMAT_VERSION, makeJobLogPaths, type GenericWorkflow, type GenericWorkflowJob } from '../../src/workflow/index.js';

/** A recorder keeping every event in memory, in order. */
export class MemoryRecorder implements JobRecorder {
  readonly states = new Map<string, JobState>();
  readonly history: { job: string; state: JobState }[] = [];
  readonly started: AttemptStart[] = [];
  readonly ended: AttemptEnd[] = [];

  setJobState(job: string, state: JobState): void {
    this.states.set(job, state);
    this.history.push({ job, state });
  }

  attemptStarted(a: AttemptStart): void {
    this.started.push(a);
  }

  attemptEnded(a: AttemptEnd): void {
    this.ended.push(a);
  }

  /** Distinct attempts started for a job, in order. */
  attemptsOf(job: string): AttemptStart[] {
    const seen = new Map<number, AttemptStart>();
    for (const a of this.started) if (a.job === job) seen.set(a.attempt, a);
    return [...seen.values()];
  }
}

/** `node -e SCRIPT`: a job command that needs nothing but node. */
export function nodeCommand(script: string, ...args: string[]): string[] {
  return [process.execPath, '-e', script, ...args];
}

/** Appends the job name to `file` (records execution order). */
export function appendNameCommand(file: string, name: string): string[] {
  return nodeCommand("require('fs').appendFileSync(process.argv[1], process.argv[2] + '\\n')", file, name);
}

/** Options of {@link makeJob}. */
export interface JobSpec {
  readonly name: string;
  readonly commands: readonly (readonly string[])[];
  readonly parents?: readonly string[];
  readonly runAlways?: boolean;
  readonly kind?: GenericWorkflowJob['kind'];
  readonly retries?: number;
  readonly retryUnlessExit?: readonly number[];
  readonly memory?: number;
  readonly memoryMultiplier?: number | null;
}

/** A generic-workflow job with test defaults (no retries, 1 GiB). */
export function makeJob(spec: JobSpec): GenericWorkflowJob {
  return {
    name: spec.name, label: spec.name.replace(/_\d+$/, ''), kind: spec.kind ?? 'payload', tags: {}, quantumIds: [], quantaCounts: {}, commands: spec.commands,
    resources: {
      requestCpus: 1, requestMemory: spec.memory ?? 1024, requestWalltime: null, numberOfRetries: spec.retries ?? 0, memoryMultiplier: spec.memoryMultiplier === undefined ? 2 : spec.memoryMultiplier,
      requestMemoryMax: 8192, memoryLimit: 16384, retryUnlessExit: spec.retryUnlessExit ?? [2, 3],
    },
    parents: spec.parents ?? [], runAlways: spec.runAlways ?? false, ...makeJobLogPaths(spec.name, spec.name),
  };
}

/** A workflow of the given jobs in a fresh submit directory. */
export function makeWorkflow(jobs: readonly GenericWorkflowJob[], submitPath = makeTempDir('bps-site-')): GenericWorkflow {
  return {
    formatVersion: GENERIC_WORKFLOW_FORMAT_VERSION, name: `wf_${Math.random().toString(36).slice(2, 8)}`, submitPath, repo: 'repo', graphFile: join(submitPath, 'g.qg'), computeSite: 'local',
    runAttributes: { operator: 'tester', project: 'p', campaign: 'c', payloadName: 'pl', outputRun: 'u/tester/run', computeSite: 'local' },
    jobs,
  };
}

/** A config selecting a site with extra site settings. */
export function makeSiteConfig(site: string, settings: Record<string, unknown> = {}): BpsConfig {
  return BpsConfig.fromObject({ computeSite: site, qgExecutable: process.execPath, site: { [site]: { siteType: site, ...settings } } });
}
