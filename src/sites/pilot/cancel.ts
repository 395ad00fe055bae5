import { cancelJobs, queryJobs } from '../slurm/index.js';
import type { AttemptEnd, RunQueryOptions } from '../site-plugin.js';
import { callCoordinator } from './coordinator-client.js';
import { readCoordinatorFile } from './coordinator-file.js';
import { isCoordinatorAlive } from './coordinator-probe.js';
import { readPreparedPilot } from './prepare.js';

const ACTIVE = new Set(['PENDING', 'CONFIGURING', 'RUNNING', 'COMPLETING', 'SUSPENDED', 'REQUEUED', 'RESIZING']);

/**
 * Cancels a pilot run. A living coordinator is asked to stop (`POST /v1/cancel`): it stops the
 * jobs, records them deleted and releases its blocks. Without one, the run's blocks (the
 * current user's Slurm jobs with the run's comment) are cancelled here and the running
 * attempts returned as deleted.
 */
export async function cancelPilot(options: RunQueryOptions): Promise<AttemptEnd[]> {
  const info = readCoordinatorFile(options.submitPath);
  if (info !== undefined && (await isCoordinatorAlive(info)) !== false) {
    try {
      await callCoordinator(info, { method: 'POST', path: '/v1/cancel', timeoutMs: 10_000 });
      return [];
    } catch {
      // Not answering although alive: fall through and cancel its blocks from here.
    }
  }
  const prepared = await readPreparedPilot(options.submitPath);
  if (prepared !== undefined) {
    const rows = await queryJobs({ comment: prepared.comment });
    const active = rows.filter((r) => ACTIVE.has(r.state)).map((r) => r.id);
    if (active.length > 0) await cancelJobs({ jobIds: active });
  }
  const now = Date.now();
  return options.running.map((a) => ({ job: a.job, attempt: a.attempt, state: 'deleted' as const, exitCode: null, signal: null, endedAt: now, reason: 'cancelled' }));
}
