import { getSitePlugin } from '../../../src/sites/index.js';
import { slurmSite } from '../../../src/sites/slurm/index.js';
import { runSiteConformance } from '../conformance.js';
import { describeSlurm } from './slurm-cluster.js';
import { isSlurmAvailable, makeSlurmConfig } from './slurm-site-support.js';

describeSlurm('slurm site against the shared conformance suite (dev cluster)', () => {
  // The follower is what the driver runs after submit: it records starts and ends, retries and prunes.
  runSiteConformance({
    plugin: getSitePlugin('slurm'),
    config: makeSlurmConfig,
    available: isSlurmAvailable,
    waitUntilFinished: (options, siteRunId) => slurmSite.follow!(options, siteRunId),
    timeoutMs: 180_000,
  });
});
