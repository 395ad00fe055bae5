import type { SitePlugin } from '../site-plugin.js';
import { cancelPilot } from './cancel.js';
import { detailsPilot } from './details.js';
import { pingPilot } from './ping.js';
import { preparePilot } from './prepare.js';
import { statusPilot } from './status.js';
import { submitPilot } from './submit.js';

/**
 * The pilot site: Slurm allocations ("blocks") run worker processes that pull jobs from a
 * coordinator inside the driver, so thousands of small jobs cost no Slurm job each. The
 * coordinator is the run's scheduler: it runs in the driver (`runsInDriver`), retries jobs
 * and scales their memory after out-of-memory kills.
 */
export const pilotSite: SitePlugin = {
  kind: 'pilot',
  capabilities: { runsInDriver: true, retries: true, memoryScaling: true },
  prepare: preparePilot,
  submit: submitPilot,
  status: statusPilot,
  cancel: cancelPilot,
  ping: pingPilot,
  details: detailsPilot,
};
