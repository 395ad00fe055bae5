import type { BpsConfig } from '../../../src/config/index.js';
import { type AttemptEnd, type JobState, type SubmitOptions } from '../../../src/sites/index.js';
import { BLOCKED_END_REASON, slurmSite } from '../../../src/sites/slurm/index.js';
import { makeSiteConfig, MemoryRecorder } from '../site-fixtures.js';
import { slurmConf } from './slurm-cluster.js';

/** A config selecting the dev cluster's Slurm site, unthrottled. */
export function makeSlurmConfig(): BpsConfig {
  return makeSiteConfig('slurm', { submissionsPerSecond: 0, pollSeconds: 1 });
}

/** Whether the dev cluster is there (the reason otherwise). */
export async function isSlurmAvailable(): Promise<true | string> {
  if (!slurmConf) return 'SLURM_CONF is not set: run `scripts/dev-slurm.sh start` and export the line it prints';
  const ping = await slurmSite.ping({ config: makeSlurmConfig() });
  return ping.ok ? true : ping.detail;
}

/** The job state the driver records for an attempt end (a job blocked by a failed parent is pruned). */
export function jobStateOf(end: AttemptEnd): JobState {
  return end.reason === BLOCKED_END_REASON ? 'pruned' : end.state;
}

/**
 * Plays the driver of a Slurm run: polls `status` every 0.5 s for the attempts the recorder
 * still has running and records their ends, until none is left.
 */
export async function waitForSlurmRun(options: SubmitOptions, siteRunId: string, timeoutMs = 110_000): Promise<void> {
  const recorder = options.recorder as MemoryRecorder;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ended = new Set(recorder.ended.map((e) => `${e.job}#${e.attempt}`));
    const running = recorder.started.filter((a) => !ended.has(`${a.job}#${a.attempt}`));
    if (running.length === 0) return;
    const ends = await slurmSite.status({ submitPath: options.workflow.submitPath, siteRunId, running });
    for (const e of ends) {
      recorder.attemptEnded(e);
      recorder.setJobState(e.job, jobStateOf(e));
    }
    if (Date.now() > deadline) throw new Error(`Slurm run ${siteRunId} still has ${running.length} running attempts after ${timeoutMs} ms: ${running.map((a) => `${a.job}=${a.siteJobId}`).join(', ')}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
