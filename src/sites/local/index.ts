import type { SitePlugin } from '../site-plugin.js';
import { cancelLocal } from './cancel.js';
import { pingLocal } from './ping.js';
import { prepareLocal } from './prepare.js';
import { statusLocal } from './status.js';
import { submitLocal } from './submit.js';

/** The local site: jobs as processes on this machine, driven by the bps-ts process itself. */
export const localSite: SitePlugin = {
  kind: 'local',
  capabilities: { runsInDriver: true, retries: true, memoryScaling: true },
  prepare: prepareLocal,
  submit: submitLocal,
  status: statusLocal,
  cancel: cancelLocal,
  ping: pingLocal,
};

export { attemptLogPaths } from './submit.js';
export { runJobCommands } from './run-job.js';
export type { JobExit, RunJobOptions } from './run-job.js';
export { findExecutable, readLocalSettings, LOCAL_SITE_FILE } from './prepare.js';
export type { LocalSiteSettings } from './prepare.js';
export { isProcessAlive, readProcessStart, signalProcessGroup } from './probe-process.js';
export { isRetryable, looksOutOfMemory, nextMemory } from './next-attempt.js';
