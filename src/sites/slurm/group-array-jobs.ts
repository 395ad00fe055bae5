import type { GenericWorkflowJob } from '../../workflow/index.js';

/** Tasks per array at most: Slurm's default MaxArraySize is 1001 (ids 0-1000). */
export const MAX_ARRAY_TASKS = 1000;

/**
 * Groups jobs that can share one sbatch array: same label and kind, identical requests (cpus,
 * memory of this attempt, walltime) and the identical set of parents, so one `afterok` on the
 * parents' ids serves every task. Jobs that run always (the final job) are never grouped.
 * Returns each grouped job's group (groups of one are left out), in the jobs' order, split
 * into arrays of at most {@link MAX_ARRAY_TASKS}.
 */
export function groupArrayJobs(jobs: readonly GenericWorkflowJob[], memoryOf: (job: GenericWorkflowJob) => number): Map<string, GenericWorkflowJob[]> {
  const byKey = new Map<string, GenericWorkflowJob[]>();
  for (const job of jobs) {
    if (job.runAlways) continue;
    const r = job.resources;
    const key = JSON.stringify([job.label, job.kind, r.requestCpus, memoryOf(job), r.requestWalltime, [...job.parents].sort()]);
    const group = byKey.get(key);
    if (group === undefined) byKey.set(key, [job]);
    else group.push(job);
  }
  const out = new Map<string, GenericWorkflowJob[]>();
  for (const group of byKey.values()) {
    if (group.length < 2) continue;
    for (let i = 0; i < group.length; i += MAX_ARRAY_TASKS) {
      const chunk = group.slice(i, i + MAX_ARRAY_TASKS);
      if (chunk.length < 2) continue;
      for (const job of chunk) out.set(job.name, chunk);
    }
  }
  return out;
}
