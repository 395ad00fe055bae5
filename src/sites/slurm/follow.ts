import type { SubmitOptions } from '../site-plugin.js';
import type { PreparedSlurmSettings } from './prepare.js';
import { SlurmRunFollower } from './slurm-run-follower.js';

/** Poll interval when the prepared settings carry none (older submit directories). */
const DEFAULT_POLL_SECONDS = 1;
/** Consecutive failed polls after which following gives up (the run goes on in Slurm). */
const MAX_POLL_FAILURES = 5;

/**
 * Follows a submitted Slurm run until every job of this submission has ended for good, one
 * {@link SlurmRunFollower} round (one squeue call) every `pollSeconds` of the prepared settings.
 * This is where retries, memory scaling, pruning of blocked jobs and the release of a held
 * final job happen, so it runs in the driver: in the foreground, or in the detached driver of
 * `bps-ts submit --detach` (no terminal needed). A few failed polls in a row are tolerated (a
 * busy controller). Aborting `options.signal` cancels the run's jobs, records them as deleted
 * and returns.
 */
export async function followSlurm(options: SubmitOptions, siteRunId: string): Promise<void> {
  const settings = options.prepared.settings as unknown as PreparedSlurmSettings;
  const intervalMs = (typeof settings.pollSeconds === 'number' && settings.pollSeconds > 0 ? settings.pollSeconds : DEFAULT_POLL_SECONDS) * 1000;
  const follower = new SlurmRunFollower(options, settings, siteRunId);
  let failures = 0;
  options.log.info({ siteRunId, jobs: follower.unfinished, intervalMs }, `Slurm site: following ${follower.unfinished} jobs`);
  while (follower.unfinished > 0) {
    if (options.signal?.aborted === true) {
      await follower.cancelAll();
      return;
    }
    try {
      await follower.poll();
      failures = 0;
    } catch (err) {
      // A busy controller may refuse one squeue call; a run of hours should not end on it.
      if (++failures >= MAX_POLL_FAILURES) throw err;
      options.log.warn({ siteRunId, err: String(err), failures }, 'Slurm site: polling failed; trying again');
    }
    if (follower.unfinished > 0) await sleep(intervalMs, options.signal);
  }
}

/** Waits `ms`, or less when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
