import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { driveRun, type JobStateCounts } from '../../bps/index.js';
import type { Logger } from '../../util/index.js';

/** The bps-ts home (run index): `$BPS_TS_HOME`, else `~/.bps-ts`. */
export function bpsHome(): string {
  return process.env['BPS_TS_HOME'] ?? join(homedir(), '.bps-ts');
}

/**
 * How jobs start the `qg` installed next to this `bps-ts`: its one-file bundle (built by
 * `npm run build`; starts in a third of the time), else `qg.js`.
 */
export function siblingQgCommand(): string[] {
  const bundle = fileURLToPath(new URL('../qg-bundle.mjs', import.meta.url));
  return [process.execPath, existsSync(bundle) ? bundle : fileURLToPath(new URL('../qg.js', import.meta.url))];
}

function progressLine(c: Readonly<JobStateCounts>): string {
  const total = Object.values(c).reduce((a, b) => a + b, 0);
  return `jobs: ${c.succeeded}/${total} succeeded, ${c.running} running, ${c.failed} failed, ${c.pruned} pruned`;
}

/**
 * Drives a submission in this process: Ctrl-C or SIGTERM cancels it (jobs stopped and
 * recorded as deleted); a progress line on stderr when it is a terminal.
 */
export async function driveForeground(runState: string, submission: number, log: Logger): Promise<JobStateCounts> {
  const abort = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (abort.signal.aborted) process.exit(130);
    log.warn({ signal }, `${signal} received: stopping the run (again to exit at once)`);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const tty = process.stderr.isTTY === true;
  let last = 0;
  try {
    const { counts } = await driveRun({
      runState, submission, log, signal: abort.signal,
      ...(tty ? { onProgress: (c: Readonly<JobStateCounts>) => {
        const now = Date.now();
        if (now - last < 200) return;
        last = now;
        process.stderr.write(`\r\u001b[2K${progressLine(c)}`);
      } } : {}),
    });
    if (tty) process.stderr.write(`\r\u001b[2K${progressLine(counts)}\n`);
    return counts;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * Starts a detached driver for a submission (own session, output to `driver.log` in the
 * submit directory) so the run goes on after the terminal closes; returns its pid.
 */
export function spawnDetachedDriver(runState: string, submission: number): { pid: number; logFile: string } {
  const logFile = join(dirname(runState), 'driver.log');
  const fd = openSync(logFile, 'a');
  try {
    const child = spawn(process.execPath, [fileURLToPath(new URL('../bps-ts.js', import.meta.url)), '_drive', runState, String(submission)], {
      detached: true, stdio: ['ignore', fd, fd], env: process.env, cwd: process.cwd(),
    });
    child.unref();
    return { pid: child.pid ?? -1, logFile };
  } finally {
    closeSync(fd);
  }
}
