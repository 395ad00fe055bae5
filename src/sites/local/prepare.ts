import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { searchNumber, type BpsConfig } from '../../config/index.js';
import type { GenericWorkflow } from '../../workflow/index.js';
import { SiteError } from '../site-error.js';
import type { PreparedSite, PrepareOptions } from '../site-plugin.js';

/** Settings of the local site, as written to `local-site.json`. */
export interface LocalSiteSettings {
  /** Jobs running at once. */
  readonly maxJobs: number;
  /** Seconds between SIGTERM and SIGKILL when a job is stopped. */
  readonly killGraceSeconds: number;
  /** Directory jobs run in. */
  readonly cwd: string;
}

/** Name of the file the local site writes into the submit directory. */
export const LOCAL_SITE_FILE = 'local-site.json';

/** Reads `site.<computeSite>.maxJobs` (0: one per CPU core) and `killGraceSeconds`. */
export function readLocalSettings(config: BpsConfig, cwd: string): LocalSiteSettings {
  const maxJobs = searchNumber(config, 'maxJobs', { integer: true, min: 0 }) ?? 0;
  const killGraceSeconds = searchNumber(config, 'killGraceSeconds', { min: 0 }) ?? 5;
  return { maxJobs: maxJobs === 0 ? availableParallelism() : maxJobs, killGraceSeconds, cwd };
}

/** Finds an executable the way execvp would; undefined when it is not there. */
export function findExecutable(file: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = isAbsolute(file) || file.includes('/') ? [resolve(file)] : (env['PATH'] ?? '').split(delimiter).filter((d) => d !== '').map((d) => join(d, file));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

/** Checks every job has commands whose executables exist; throws a {@link SiteError} naming the first that does not. */
export function checkJobCommands(workflow: GenericWorkflow): void {
  const seen = new Set<string>();
  for (const job of workflow.jobs) {
    if (job.commands.length === 0 || job.commands.some((c) => c.length === 0)) {
      throw new SiteError(`job '${job.name}' of workflow '${workflow.name}' has an empty command`, { site: 'local', hint: 'check runQuantumCommand and finalJob.commandN in the bps config' });
    }
    for (const command of job.commands) {
      const exe = command[0]!;
      if (seen.has(exe)) continue;
      seen.add(exe);
      if (findExecutable(exe) === undefined) {
        throw new SiteError(`executable '${exe}' of job '${job.name}' was not found (PATH or file)`, { site: 'local', command, hint: 'set qgExecutable in the bps config to the path of qg (or a list such as [node, /path/to/dist/cli/qg.js])' });
      }
    }
  }
}

/** The local site's prepare stage: checks commands, writes `local-site.json`. */
export async function prepareLocal(options: PrepareOptions): Promise<PreparedSite> {
  const settings = readLocalSettings(options.config, options.cwd);
  checkJobCommands(options.workflow);
  mkdirSync(options.submitPath, { recursive: true });
  const file = join(options.submitPath, LOCAL_SITE_FILE);
  writeFileSync(file, `${JSON.stringify({ siteType: 'local', ...settings }, null, 2)}\n`);
  return { siteType: 'local', files: [file], settings: { ...settings } };
}
