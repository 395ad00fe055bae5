/**
 * Site plugins: where a generic workflow runs. Every site has the same file set
 * (`prepare.ts`, `submit.ts`, `status.ts`, `cancel.ts`, `index.ts`) and implements
 * {@link SitePlugin}; differences are {@link SiteCapabilities} flags. Sites are chosen from a
 * static map by `siteType` (no class names in configs). A site sees only the generic
 * workflow, its configuration and a {@link JobRecorder}.
 *
 * Typical use: `getSitePlugin('local').prepare({ workflow, config, submitPath, cwd, log })`,
 * then `.submit({ workflow, prepared, recorder, log })`.
 * @packageDocumentation
 */
import { SiteError } from './site-error.js';
import type { SitePlugin } from './site-plugin.js';
import { localSite } from './local/index.js';
import { slurmSite } from './slurm/index.js';
import { htcondorSite } from './htcondor/index.js';
import { pilotSite } from './pilot/index.js';

/** The plugin interface, job and attempt states, and the recorder a site writes to. */
export { AttemptEndState, JobState } from './site-plugin.js';
export type {
  AttemptEnd, AttemptStart, JobRecorder, PingResult, PreparedSite, PrepareOptions, RunningAttempt, RunQueryOptions, SiteCapabilities, SiteDetailTable, SitePlugin, SubmitOptions, SubmitResult,
} from './site-plugin.js';
/** The error raised by sites (site name, command, exit code, stderr tail). */
export { SiteError } from './site-error.js';
/** Local-site helpers also used by the driver: attempt log paths and process probes. */
export { attemptLogPaths, isProcessAlive, readProcessStart, signalProcessGroup, isRetryable, looksOutOfMemory, nextMemory, findExecutable } from './local/index.js';

/** The pilot site's worker (run by `bps-ts _pilot-worker` on the nodes) and the hook type it runs jobs with. */
export { runPilotWorker, runJobProcesses, readPreparedPilot, readPilotState, createJobThreadPool } from './pilot/index.js';
export type { JobThreadPool, PilotJobSpec, PilotJobExit, PilotJobIo, RunPilotJob, PilotWorkerOptions, PilotWorkerSummary } from './pilot/index.js';

/** Every site kind bps-ts knows, by `siteType`. */
export const SITE_PLUGINS: Readonly<Record<string, SitePlugin>> = {
  local: localSite,
  slurm: slurmSite,
  htcondor: htcondorSite,
  pilot: pilotSite,
};

/** The plugin for a site kind; a {@link SiteError} listing the known kinds otherwise. */
export function getSitePlugin(kind: string): SitePlugin {
  const plugin = Object.hasOwn(SITE_PLUGINS, kind) ? SITE_PLUGINS[kind] : undefined;
  if (plugin === undefined) {
    throw new SiteError(`unknown site type '${kind}'`, { site: kind, hint: `set site.<computeSite>.siteType to one of: ${Object.keys(SITE_PLUGINS).join(', ')}` });
  }
  return plugin;
}
