import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { searchNumber, searchString, type BpsConfig } from '../../config/index.js';
import { SiteError } from '../site-error.js';
import { RetryMode } from './submit-writer.js';

/** Settings of the HTCondor site, as written to `htcondor-site.json` by prepare. */
export interface HtcondorSiteSettings {
  /** Absolute path of the DAG file. */
  readonly dagFile: string;
  /** Cap of memory scaling for jobs that set none, MiB (`memoryLimit`). */
  readonly memoryLimit: number | undefined;
  /** `submit` (schedd `max_retries`, default) or `dag` (DAG `RETRY`). */
  readonly retryMode: RetryMode;
  /** `MAXJOBS` per category (`categoryLimits`). */
  readonly categoryLimits: Readonly<Record<string, number>>;
  /** `request_disk`, MiB (`requestDisk`). */
  readonly requestDiskMiB: number | undefined;
}

/** Name of the file the HTCondor site writes into the submit directory. */
export const HTCONDOR_SITE_FILE = 'htcondor-site.json';

/** Reads `memoryLimit`, `retryMode`, `categoryLimits` and `requestDisk` of the site section. */
export function readHtcondorSettings(config: BpsConfig, dagFile: string): HtcondorSiteSettings {
  const retryMode = searchString(config, 'retryMode') ?? 'submit';
  if (!(RetryMode as readonly string[]).includes(retryMode)) {
    throw new SiteError(`retryMode '${retryMode}' of the HTCondor site is not one of ${RetryMode.join(', ')}`, { site: 'htcondor', hint: 'set site.<computeSite>.retryMode to submit (default) or dag' });
  }
  const rawLimits = config.search('categoryLimits', { default: {} });
  if (rawLimits === null || typeof rawLimits !== 'object' || Array.isArray(rawLimits)) {
    throw new SiteError(`categoryLimits of the HTCondor site is ${JSON.stringify(rawLimits)}, not a mapping`, { site: 'htcondor', hint: 'write categoryLimits as { category: maxJobs, ... }' });
  }
  const categoryLimits: Record<string, number> = {};
  for (const [key, value] of Object.entries(rawLimits)) {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) {
      throw new SiteError(`categoryLimits.${key} of the HTCondor site is ${JSON.stringify(value)}, not a positive integer`, { site: 'htcondor', hint: `set categoryLimits.${key} to the number of jobs of that category allowed at once` });
    }
    categoryLimits[key] = n;
  }
  return {
    dagFile,
    memoryLimit: searchNumber(config, 'memoryLimit', { min: 1 }),
    retryMode: retryMode as RetryMode,
    categoryLimits,
    requestDiskMiB: searchNumber(config, 'requestDisk', { min: 0 }),
  };
}

/** Reads `htcondor-site.json` of a submit directory (status and cancel get nothing else). */
export function loadHtcondorSettings(submitPath: string): HtcondorSiteSettings {
  const file = join(submitPath, HTCONDOR_SITE_FILE);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as HtcondorSiteSettings;
  } catch (cause) {
    throw new SiteError(`cannot read the HTCondor settings '${file}'`, { site: 'htcondor', cause, hint: 'run bps-ts prepare (or submit) for this submit directory first' });
  }
}

/** The DAGMan cluster id of a site run id `htcondor:<clusterId>`. */
export function parseHtcondorRunId(siteRunId: string): number {
  const m = /^htcondor:(\d+)$/.exec(siteRunId);
  if (m === null) throw new SiteError(`site run id '${siteRunId}' is not an HTCondor one (htcondor:<clusterId>)`, { site: 'htcondor', hint: 'check that the run was submitted to an HTCondor site' });
  return Number(m[1]);
}
