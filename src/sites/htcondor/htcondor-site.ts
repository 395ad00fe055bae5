import type { SitePlugin } from '../site-plugin.js';
import { cancelHtcondor } from './cancel.js';
import { followHtcondor } from './follow.js';
import { pingHtcondor } from './ping.js';
import { prepareHtcondor } from './prepare.js';
import { statusHtcondor } from './status.js';
import { submitHtcondor } from './submit.js';

/**
 * The HTCondor site: the workflow as a DAGMan DAG. DAGMan and the schedd run, retry and
 * scale the memory of jobs themselves (`max_retries`, `periodic_release`, `request_memory`
 * expressions), so submit returns once the DAG is queued and the run is followed from the
 * node log and node status file.
 */
export const htcondorSite: SitePlugin = {
  kind: 'htcondor',
  capabilities: { runsInDriver: false, retries: true, memoryScaling: true },
  prepare: prepareHtcondor,
  submit: submitHtcondor,
  status: statusHtcondor,
  cancel: cancelHtcondor,
  ping: pingHtcondor,
  follow: followHtcondor,
};
