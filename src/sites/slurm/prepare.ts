import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { resolveJobLogPaths, type GenericWorkflow } from '../../workflow/index.js';
import { findExecutable } from '../local/index.js';
import { SiteError } from '../site-error.js';
import type { PreparedSite, PrepareOptions } from '../site-plugin.js';
import { renderBatchScript } from './batch-script.js';
import { groupArrayJobs } from './group-array-jobs.js';
import { buildBatchJobSpec, slurmRunComment, slurmScriptFile, slurmSitePaths } from './job-spec.js';
import { readSlurmSettings, type SlurmSiteSettings } from './slurm-settings.js';

/** What the Slurm prepare stage hands to submit, status and cancel (also written to `slurm-site.json`). */
export interface PreparedSlurmSettings extends SlurmSiteSettings {
  /** Directory the jobs run in. */
  readonly cwd: string;
  /** Workflow (run) name; the jobs' names start with it. */
  readonly runName: string;
  /** The comment every job of the run carries (`bps-ts:<run>`): how cancel finds them. */
  readonly comment: string;
  /** Batch script of each job's first attempt, by job name (jobs grouped into arrays have none). */
  readonly scripts: Readonly<Record<string, string>>;
}

/** Name of the file the Slurm site writes into its folder of the submit directory. */
export const SLURM_SITE_FILE = 'slurm-site.json';

/** Where prepare writes the site settings of a submit directory. */
export function slurmSiteFile(submitPath: string): string {
  return join(slurmSitePaths(submitPath).root, SLURM_SITE_FILE);
}

/** Reads the settings prepare wrote; undefined when the submit directory has none. */
export async function readPreparedSlurm(submitPath: string): Promise<PreparedSlurmSettings | undefined> {
  try {
    return JSON.parse(await readFile(slurmSiteFile(submitPath), 'utf8')) as PreparedSlurmSettings;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SiteError(`cannot read Slurm site settings '${slurmSiteFile(submitPath)}': ${(cause as Error).message}`, { site: 'slurm', cause, hint: 'rerun bps-ts prepare for this run' });
  }
}

/** Checks every job's executable exists here (the cluster shares this file system with the submit host). */
function checkExecutables(workflow: GenericWorkflow): void {
  const seen = new Set<string>();
  for (const job of workflow.jobs) {
    for (const command of job.commands) {
      const exe = command[0];
      if (exe === undefined || exe === '') throw new SiteError(`job '${job.name}' of workflow '${workflow.name}' has an empty command`, { site: 'slurm', hint: 'check runQuantumCommand and finalJob.commandN in the bps config' });
      if (seen.has(exe)) continue;
      seen.add(exe);
      if (findExecutable(exe) === undefined) {
        throw new SiteError(`executable '${exe}' of job '${job.name}' was not found (PATH or file)`, { site: 'slurm', command, hint: 'set qgExecutable in the bps config to a path every Slurm node can see' });
      }
    }
  }
}

/**
 * The Slurm site's prepare stage: checks executables, creates the log and status directories
 * (Slurm fails a job whose output directory is missing), writes one batch script per job (with
 * `useJobArrays`, per job that shares no array: submit writes the arrays' scripts) and
 * `slurm/slurm-site.json` with the settings submit needs.
 */
export async function prepareSlurm(options: PrepareOptions): Promise<PreparedSite> {
  const { workflow } = options;
  const base = readSlurmSettings(options.config);
  checkExecutables(workflow);
  const paths = slurmSitePaths(options.submitPath);
  for (const dir of [paths.root, paths.scripts, paths.status, paths.logs]) mkdirSync(dir, { recursive: true });
  const scripts: Record<string, string> = {};
  const files: string[] = [];
  // Jobs that will share an array get their array's script at submit time, not one each.
  const grouped = base.useJobArrays ? groupArrayJobs(workflow.jobs, (j) => j.resources.requestMemory) : new Map();
  for (const job of workflow.jobs) {
    const logs = resolveJobLogPaths(workflow.submitPath, job);
    mkdirSync(dirname(logs.stdout), { recursive: true });
    mkdirSync(dirname(logs.stderr), { recursive: true });
    if (grouped.has(job.name)) continue;
    const file = slurmScriptFile(options.submitPath, job.name);
    writeFileSync(file, renderBatchScript(buildBatchJobSpec({ workflow, job, settings: base, cwd: options.cwd })), { mode: 0o755 });
    scripts[job.name] = file;
    files.push(file);
  }
  const settings: PreparedSlurmSettings = { ...base, cwd: options.cwd, runName: workflow.name, comment: slurmRunComment(workflow.name), scripts };
  const siteFile = slurmSiteFile(options.submitPath);
  writeFileSync(siteFile, `${JSON.stringify({ siteType: 'slurm', ...settings }, null, 2)}\n`);
  options.log.info({ jobs: workflow.jobs.length, scripts: paths.scripts }, `Slurm site: wrote ${workflow.jobs.length} batch scripts`);
  return { siteType: 'slurm', files: [siteFile, ...files], settings: { ...settings } };
}
