import type { GenericWorkflowJob } from '../../workflow/index.js';
import type { Logger } from '../../util/index.js';
import { updateJobDependency } from './slurm-cli.js';

/** Slurm dependencies of a job: `afterok` on its parents' current ids, `afterany` for jobs that run always. */
export interface JobDependencies {
  readonly afterOk: readonly string[];
  readonly afterAny: readonly string[];
}

/** The dependencies of `job` given each parent's current Slurm id (parents done earlier have none). */
export function dependenciesOf(job: GenericWorkflowJob, idOf: (name: string) => string | undefined): JobDependencies {
  const ids = [...new Set(job.parents.map(idOf).filter((id): id is string => id !== undefined))];
  return job.runAlways ? { afterOk: [], afterAny: ids } : { afterOk: ids, afterAny: [] };
}

/** One pending job whose dependencies must change. */
export interface DependencyUpdate extends JobDependencies {
  readonly job: string;
  readonly jobId: string;
}

/** The array of a task id (`12_3` → `12`), or undefined for a plain job. */
export function arrayIdOf(jobId: string): string | undefined {
  const at = jobId.indexOf('_');
  return at < 0 ? undefined : jobId.slice(0, at);
}

/**
 * Gives pending jobs new dependencies with `scontrol update`: when every pending task of an
 * array gets the same ones (`pendingTasksOf` says how many the caller has pending), one call
 * for the whole array, else one per job. A job that started meanwhile cannot be updated: that
 * failure is logged and the job returned, nothing else is stopped.
 */
export async function updateDependencies(options: {
  readonly updates: readonly DependencyUpdate[];
  readonly pendingTasksOf: (arrayId: string) => number;
  readonly log: Logger;
}): Promise<string[]> {
  const calls = new Map<string, { jobId: string; deps: JobDependencies; jobs: string[] }>();
  const byArray = new Map<string, DependencyUpdate[]>();
  for (const u of options.updates) {
    const array = arrayIdOf(u.jobId);
    const key = `${array ?? u.jobId}|${u.afterOk.join(':')}|${u.afterAny.join(':')}`;
    if (array === undefined) calls.set(key, { jobId: u.jobId, deps: u, jobs: [u.job] });
    else byArray.set(key, [...(byArray.get(key) ?? []), u]);
  }
  for (const [key, group] of byArray) {
    const array = arrayIdOf(group[0]!.jobId)!;
    if (group.length > 1 && group.length === options.pendingTasksOf(array)) calls.set(key, { jobId: array, deps: group[0]!, jobs: group.map((u) => u.job) });
    else for (const u of group) calls.set(`${u.jobId}|`, { jobId: u.jobId, deps: u, jobs: [u.job] });
  }
  const failed: string[] = [];
  for (const call of calls.values()) {
    try {
      await updateJobDependency({ jobId: call.jobId, afterOk: call.deps.afterOk, afterAny: call.deps.afterAny });
    } catch (err) {
      options.log.warn({ jobId: call.jobId, jobs: call.jobs, err: String(err) }, `Slurm site: could not update the dependencies of job ${call.jobId}`);
      failed.push(...call.jobs);
    }
  }
  return failed;
}
