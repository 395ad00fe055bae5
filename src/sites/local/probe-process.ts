import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Start time of a process in clock ticks since boot (field 22 of `/proc/<pid>/stat`), or null
 * where there is no /proc. Recorded next to a pid so that a reused pid is not taken for it.
 */
export function readProcessStart(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold blanks and parentheses: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : null;
  } catch {
    return null;
  }
}

/** Whether a process recorded on `host` with `pid` (and start time) is still alive; null when it cannot be told from here. */
export function isProcessAlive(probe: { host: string; pid: number | null; pidStart: number | null }): boolean | null {
  if (probe.pid === null) return null;
  if (probe.host !== hostname()) return null;
  try {
    process.kill(probe.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EPERM') return true;
    return false;
  }
  if (probe.pidStart === null) return true;
  const start = readProcessStart(probe.pid);
  return start === null || start === probe.pidStart;
}

/** Sends a signal to a process group (or the process when it leads none); false if it is gone. */
export function signalProcessGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    try {
      process.kill(pid, signal);
      return true;
    } catch {
      return false;
    }
  }
}
