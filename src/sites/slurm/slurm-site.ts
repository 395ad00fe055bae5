import type { SitePlugin } from '../site-plugin.js';
import { cancelSlurm } from './cancel.js';
import { followSlurm } from './follow.js';
import { pingSlurmSite } from './ping.js';
import { prepareSlurm } from './prepare.js';
import { statusSlurm } from './status.js';
import { submitSlurm } from './submit.js';

/**
 * The Slurm site: each workflow job is one batch job, submitted all at once with dependencies;
 * the batch system runs the workflow and `status` polls it. No retries or memory scaling yet:
 * a failed job stays failed (restart the run to try again).
 */
export const slurmSite: SitePlugin = {
  kind: 'slurm',
  capabilities: { runsInDriver: false, retries: false, memoryScaling: false },
  prepare: prepareSlurm,
  submit: submitSlurm,
  status: statusSlurm,
  cancel: cancelSlurm,
  ping: pingSlurmSite,
  follow: followSlurm,
};
