import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { GenericWorkflow } from '../../workflow/index.js';
import { findExecutable } from '../local/index.js';
import { SiteError } from '../site-error.js';
import type { PreparedSite, PrepareOptions } from '../site-plugin.js';
import { slurmRunComment } from '../slurm/index.js';
import { pilotPaths } from './pilot-paths.js';
import { readPilotSettings, type PilotSiteSettings } from './pilot-settings.js';

/** What the pilot prepare stage hands to submit (also written to `pilot/pilot-site.json`). */
export interface PreparedPilotSettings extends PilotSiteSettings {
  /** Directory the jobs run in. */
  readonly cwd: string;
  /** Workflow (run) name; block names start with it. */
  readonly runName: string;
  /** Comment of the run's Slurm jobs (`bps-ts:<run>`): how cancel finds the blocks. */
  readonly comment: string;
}

/** Reads the settings prepare wrote; undefined when the submit directory has none. */
export async function readPreparedPilot(submitPath: string): Promise<PreparedPilotSettings | undefined> {
  try {
    return JSON.parse(await readFile(pilotPaths(submitPath).settings, 'utf8')) as PreparedPilotSettings;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SiteError(`cannot read pilot site settings '${pilotPaths(submitPath).settings}': ${(cause as Error).message}`, { site: 'pilot', cause, hint: 'rerun bps-ts prepare for this run' });
  }
}

/** Checks that the executables of the jobs and of the worker exist (the nodes share this file system). */
function checkExecutables(workflow: GenericWorkflow, settings: PilotSiteSettings): void {
  const seen = new Set<string>();
  const check = (command: readonly string[], what: string, hint: string): void => {
    const exe = command[0];
    if (exe === undefined || exe === '') throw new SiteError(`${what} has an empty command`, { site: 'pilot', hint });
    if (seen.has(exe)) return;
    seen.add(exe);
    if (findExecutable(exe) === undefined) throw new SiteError(`executable '${exe}' of ${what} was not found (PATH or file)`, { site: 'pilot', command, hint });
  };
  for (const job of workflow.jobs) {
    for (const command of job.commands) check(command, `job '${job.name}'`, 'set qgExecutable in the bps config to a path every compute node can see');
    if (job.commands.length === 0) throw new SiteError(`job '${job.name}' of workflow '${workflow.name}' has no command`, { site: 'pilot', hint: 'check runQuantumCommand and finalJob.commandN in the bps config' });
  }
  check(settings.workerCommand, 'the pilot worker', "set pilotWorkerCommand to how a compute node starts bps-ts, e.g. [node, /opt/bps-ts/dist/cli/bps-ts.js]");
}

/**
 * The pilot site's prepare stage: reads and checks the settings, checks executables and writes
 * `pilot/pilot-site.json`. Block scripts are written when blocks are submitted (their number
 * depends on the load); log directories when a job first writes to them.
 */
export async function preparePilot(options: PrepareOptions): Promise<PreparedSite> {
  const base = readPilotSettings(options.config);
  checkExecutables(options.workflow, base);
  const paths = pilotPaths(options.submitPath);
  mkdirSync(paths.blocks, { recursive: true });
  const settings: PreparedPilotSettings = { ...base, cwd: options.cwd, runName: options.workflow.name, comment: slurmRunComment(options.workflow.name) };
  writeFileSync(paths.settings, `${JSON.stringify({ siteType: 'pilot', ...settings }, null, 2)}\n`);
  const maxCpus = Math.max(...options.workflow.jobs.map((j) => j.resources.requestCpus), 0);
  options.log.info({ jobs: options.workflow.jobs.length, nodesPerBlock: base.nodesPerBlock, coresPerNode: base.coresPerNode, maxBlocks: base.maxBlocks, maxJobCpus: maxCpus }, 'pilot site: prepared');
  return { siteType: 'pilot', files: [paths.settings], settings: { ...settings } };
}
