import type { AttemptEnd, RunQueryOptions } from '../site-plugin.js';
import { isProcessAlive } from './probe-process.js';

/**
 * The local site's status: an attempt the run state still calls running whose process is gone
 * (the driver was killed before it could record the end) is `lost`. Attempts recorded on
 * another host cannot be checked and are left as they are.
 */
export async function statusLocal(options: RunQueryOptions): Promise<AttemptEnd[]> {
  const now = Date.now();
  return options.running
    .filter((a) => isProcessAlive(a) === false)
    .map((a) => ({ job: a.job, attempt: a.attempt, state: 'lost' as const, exitCode: null, signal: null, endedAt: now, reason: 'process gone (the driver stopped before recording its end)' }));
}
