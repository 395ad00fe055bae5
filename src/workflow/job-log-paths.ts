import { isAbsolute, relative, resolve } from 'node:path';
import { sanitizePathSegment } from './safe-names.js';
import type { GenericWorkflowJob } from './workflow-types.js';
import { WorkflowError } from './workflow-error.js';

/**
 * Log files of a job, relative to the submit directory:
 * `logs/<subdir>/<job>.out|.err`, where `<subdir>` is the filled `subDirTemplate` (label,
 * then data-ID values). Each segment is sanitised; empty segments (dimensions the job does
 * not have) disappear, so `..`, `/` or quotes in data-ID values can never leave `logs/`.
 */
export function makeJobLogPaths(subDir: string, jobName: string): { stdout: string; stderr: string } {
  let base = 'logs';
  let start = 0;
  while (start <= subDir.length) {
    let end = subDir.indexOf('/', start);
    if (end < 0) end = subDir.length;
    if (end > start) {
      const segment = sanitizePathSegment(subDir.slice(start, end).trim());
      if (segment !== '') base += `/${segment}`;
    }
    start = end + 1;
  }
  base += `/${jobName}`;
  return { stdout: `${base}.out`, stderr: `${base}.err` };
}

/** Absolute log paths of a job under `submitPath`; refuses any path that would leave it. */
export function resolveJobLogPaths(submitPath: string, job: Pick<GenericWorkflowJob, 'name' | 'stdout' | 'stderr'>): { stdout: string; stderr: string } {
  const inside = (rel: string): string => {
    const full = resolve(submitPath, rel);
    const back = relative(resolve(submitPath), full);
    if (isAbsolute(rel) || back === '' || back.startsWith('..') || isAbsolute(back)) {
      throw new WorkflowError(`log path '${rel}' of job '${job.name}' leaves the submit directory '${submitPath}'`, { hint: 'the workflow file was edited by hand: regenerate it with bps-ts transform' });
    }
    return full;
  };
  return { stdout: inside(job.stdout), stderr: inside(job.stderr) };
}
