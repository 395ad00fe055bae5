import type { SitePlugin } from '../site-plugin.js';
import { cancelSlurm } from './cancel.js';
import { followSlurm } from './follow.js';
import { pingSlurmSite } from './ping.js';
import { prepareSlurm } from './prepare.js';
import { statusSlurm } from './status.js';
import { submitSlurm } from './submit.js';

/**
 * The Slurm site: each workflow job is one batch job (or one task of a job array), submitted all
 * at once with dependencies; the batch system runs the workflow. The follower (in the driver,
 * foreground or detached) records attempts as Slurm starts and ends them, retries failed jobs
 * with scaled memory and keeps their queued children by updating their dependencies; a restart
 * adopts the jobs still queued or running.
 */
export const slurmSite: SitePlugin = {
  kind: 'slurm',
  capabilities: { runsInDriver: false, retries: true, memoryScaling: true, adoptsJobs: true },
  prepare: prepareSlurm,
  submit: submitSlurm,
  status: statusSlurm,
  cancel: cancelSlurm,
  ping: pingSlurmSite,
  follow: followSlurm,
};
