import type { AttemptEnd, RunQueryOptions } from '../site-plugin.js';
import { readCoordinatorFile } from './coordinator-file.js';
import { isCoordinatorAlive } from './coordinator-probe.js';

/**
 * The pilot site's status. The coordinator records every end itself while it lives; once it
 * is gone (the driver was killed), nobody will: its running attempts are `lost`, and a
 * restart runs those jobs again (its workers, still alive, are told to drop them).
 */
export async function statusPilot(options: RunQueryOptions): Promise<AttemptEnd[]> {
  if (options.running.length === 0) return [];
  const info = readCoordinatorFile(options.submitPath);
  if (info !== undefined && (await isCoordinatorAlive(info)) !== false) return [];
  const now = Date.now();
  return options.running.map((a) => ({ job: a.job, attempt: a.attempt, state: 'lost' as const, exitCode: null, signal: null, endedAt: now, reason: 'the pilot coordinator (the driver) is gone; restart the run to run the job again' }));
}
