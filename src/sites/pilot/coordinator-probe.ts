import { hostname } from 'node:os';
import { isProcessAlive } from '../local/index.js';
import { callCoordinator, CoordinatorUnreachableError } from './coordinator-client.js';
import type { CoordinatorInfo } from './coordinator-file.js';

/**
 * Whether the coordinator of a run is alive: by its process on this host, else by asking it
 * (`GET /v1/ping`). Null when that cannot be told (it does not answer, but does not refuse).
 */
export async function isCoordinatorAlive(info: CoordinatorInfo): Promise<boolean | null> {
  if (info.host === hostname()) return isProcessAlive({ host: info.host, pid: info.pid, pidStart: info.pidStart });
  try {
    await callCoordinator(info, { method: 'GET', path: '/v1/ping', timeoutMs: 3000 });
    return true;
  } catch (err) {
    return err instanceof CoordinatorUnreachableError && (err.code === 'ECONNREFUSED' || err.status === 401) ? false : null;
  }
}
