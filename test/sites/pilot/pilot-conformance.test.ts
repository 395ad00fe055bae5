import { afterAll } from 'vitest';
import { runSiteConformance } from '../conformance.js';
import { describeSlurm } from '../slurm/slurm-cluster.js';
import { isPilotAvailable, makePilotConfig, trackPilotRuns } from './pilot-test-support.js';

const { plugin, cancelLeftovers } = trackPilotRuns();

describeSlurm('pilot site on the dev Slurm cluster', () => {
  runSiteConformance({ plugin, config: () => makePilotConfig(), available: isPilotAvailable, timeoutMs: 120_000 });
  afterAll(cancelLeftovers);
});
