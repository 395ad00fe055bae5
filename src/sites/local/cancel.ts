import { hostname } from 'node:os';
import { SiteError } from '../site-error.js';
import type { AttemptEnd, RunQueryOptions } from '../site-plugin.js';
import { isProcessAlive, signalProcessGroup } from './probe-process.js';

/** The driver of a local run from its site run id `local:<host>:<pid>`. */
export function parseLocalRunId(siteRunId: string): { host: string; pid: number } | undefined {
  const m = /^local:(.+):(\d+)$/.exec(siteRunId);
  return m ? { host: m[1]!, pid: Number(m[2]) } : undefined;
}

/**
 * Cancels a local run: the driver, if alive, is sent SIGTERM (it stops its jobs and records
 * them as deleted); job processes whose driver is gone are killed here, SIGTERM then SIGKILL
 * after `graceMs`, and returned as deleted for the caller to record.
 */
export async function cancelLocal(options: RunQueryOptions & { driverPidStart?: number | null; graceMs?: number }): Promise<AttemptEnd[]> {
  const driver = parseLocalRunId(options.siteRunId);
  if (driver && driver.host !== hostname()) {
    throw new SiteError(`run '${options.siteRunId}' was driven on host '${driver.host}', not on '${hostname()}'`, { site: 'local', hint: `run bps-ts cancel on ${driver.host}` });
  }
  if (driver && isProcessAlive({ host: driver.host, pid: driver.pid, pidStart: options.driverPidStart ?? null })) {
    process.kill(driver.pid, 'SIGTERM');
    return [];
  }
  const ended: AttemptEnd[] = [];
  const alive = options.running.filter((a) => a.pid !== null && isProcessAlive(a) === true);
  for (const a of alive) signalProcessGroup(a.pid!, 'SIGTERM');
  const deadline = Date.now() + (options.graceMs ?? 5000);
  while (Date.now() < deadline && alive.some((a) => isProcessAlive(a) === true)) await new Promise((r) => setTimeout(r, 100));
  for (const a of alive) if (isProcessAlive(a) === true) signalProcessGroup(a.pid!, 'SIGKILL');
  const now = Date.now();
  for (const a of options.running) {
    if (a.host !== hostname()) continue;
    ended.push({ job: a.job, attempt: a.attempt, state: 'deleted', exitCode: null, signal: alive.includes(a) ? 'SIGTERM' : null, endedAt: now, reason: 'cancelled' });
  }
  return ended;
}
