import type { BpsConfig } from '../../../src/config/index.js';
import type { SitePlugin } from '../../../src/sites/index.js';
import { pilotSite } from '../../../src/sites/pilot/index.js';
import { cancelJobs, queryJobs, slurmRunComment } from '../../../src/sites/slurm/index.js';
import { makeSiteConfig } from '../site-fixtures.js';
import { slurmConf } from '../slurm/slurm-cluster.js';

/** Settings that keep pilot tests short on the shared one-node dev cluster (1 core per block). */
export const FAST_PILOT_SETTINGS = {
  coresPerNode: 1, memoryPerNode: 4096, blockWalltime: 300, heartbeatSeconds: 0.5, heartbeatTimeoutSeconds: 5,
  pollSeconds: 1, idleSeconds: 1, killGraceSeconds: 1, workerOrphanSeconds: 30,
} as const;

/** A config selecting the pilot site on the dev cluster, with extra settings. */
export function makePilotConfig(settings: Record<string, unknown> = {}): BpsConfig {
  return makeSiteConfig('pilot', { ...FAST_PILOT_SETTINGS, ...settings });
}

/** Whether the dev cluster is there (the reason otherwise). */
export async function isPilotAvailable(): Promise<true | string> {
  if (!slurmConf) return 'SLURM_CONF is not set: run `scripts/dev-slurm.sh start` and export the line it prints';
  const ping = await pilotSite.ping({ config: makePilotConfig() });
  return ping.ok ? true : ping.detail;
}

/**
 * The pilot plugin, noting the runs it prepares, and a clean-up that cancels their blocks
 * still queued or running: a test cut short by its timeout leaves its coordinator's blocks behind.
 */
export function trackPilotRuns(): { plugin: SitePlugin; cancelLeftovers: () => Promise<void> } {
  const runs = new Set<string>();
  const plugin: SitePlugin = {
    ...pilotSite,
    prepare: (options) => {
      runs.add(options.workflow.name);
      return pilotSite.prepare(options);
    },
  };
  return {
    plugin,
    async cancelLeftovers() {
      for (const run of runs) {
        const active = (await queryJobs({ comment: slurmRunComment(run) })).filter((r) => ['PENDING', 'CONFIGURING', 'RUNNING'].includes(r.state));
        if (active.length > 0) await cancelJobs({ jobIds: active.map((r) => r.id) });
      }
    },
  };
}
