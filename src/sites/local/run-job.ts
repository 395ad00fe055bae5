import { appendFileSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { spawn } from 'node:child_process';
import { readProcessStart, signalProcessGroup } from './probe-process.js';

/** Options of {@link runJobCommands}. */
export interface RunJobOptions {
  readonly commands: readonly (readonly string[])[];
  readonly cwd: string;
  readonly stdout: string;
  readonly stderr: string;
  readonly env: Readonly<Record<string, string>>;
  /** Called once per command with its process id and start time. */
  readonly onSpawn: (pid: number, pidStart: number | null) => void;
  /** Aborting kills the job's process group (SIGTERM, then SIGKILL after the grace period). */
  readonly signal: AbortSignal;
  readonly killGraceMs: number;
}

/** How a job's commands ended. */
export interface JobExit {
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** Set when a command could not start at all. */
  readonly spawnError?: string;
}

/**
 * Runs a job's commands one after the other, each in its own process group (so a cancel
 * reaches its children), appending to the job's stdout/stderr files; stops at the first
 * command that fails. No shell is involved.
 */
export async function runJobCommands(options: RunJobOptions): Promise<JobExit> {
  mkdirSync(dirname(options.stdout), { recursive: true });
  mkdirSync(dirname(options.stderr), { recursive: true });
  for (const command of options.commands) {
    if (options.signal.aborted) return { exitCode: null, signal: 'SIGTERM' };
    appendFileSync(options.stdout, `--> executable follows <--\n${command.map(quoteArg).join(' ')}\n--> end executable <--\n`);
    // The job writes its own files (no pipe through the driver), so it finishes its work even
    // if the driver is killed; a restart then finds its provenance records.
    const out = openSync(options.stdout, 'a');
    const err = openSync(options.stderr, 'a');
    // node's spawn (argument array, no shell) rather than execa: the child must get plain file
    // descriptors, and spawn hands them over synchronously so they can be closed at once.
    const child = spawn(command[0]!, command.slice(1), { cwd: options.cwd, env: options.env, stdio: ['ignore', out, err], detached: true });
    closeSync(out);
    closeSync(err);
    let timer: NodeJS.Timeout | undefined;
    const stop = (): void => {
      if (child.pid === undefined) return;
      signalProcessGroup(child.pid, 'SIGTERM');
      timer = setTimeout(() => signalProcessGroup(child.pid!, 'SIGKILL'), options.killGraceMs);
      timer.unref();
    };
    if (child.pid !== undefined) options.onSpawn(child.pid, readProcessStart(child.pid));
    options.signal.addEventListener('abort', stop, { once: true });
    if (options.signal.aborted) stop();
    const result = await new Promise<{ exitCode: number | null; signal: string | null; error?: Error }>((done) => {
      child.once('error', (error) => done({ exitCode: null, signal: null, error }));
      child.once('exit', (exitCode, signal) => done({ exitCode, signal }));
    });
    options.signal.removeEventListener('abort', stop);
    if (timer) clearTimeout(timer);
    if (result.error) {
      appendFileSync(options.stderr, `bps-ts: could not start ${command[0]}: ${result.error.message}\n`);
      return { exitCode: 127, signal: null, spawnError: result.error.message };
    }
    if (result.signal !== null) return { exitCode: null, signal: result.signal };
    if (result.exitCode !== 0) return { exitCode: result.exitCode, signal: null };
  }
  return { exitCode: 0, signal: null };
}

function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}
