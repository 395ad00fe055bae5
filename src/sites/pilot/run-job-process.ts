import { runJobCommands } from '../local/index.js';
import type { PilotJobSpec } from './pilot-protocol.js';

/** What a worker gives the hook that runs one job. */
export interface PilotJobIo {
  /** Absolute paths of the attempt's logs (appended to). */
  readonly stdout: string;
  readonly stderr: string;
  /** The worker's environment plus the job's own variables. */
  readonly env: Readonly<Record<string, string>>;
  /** Aborting stops the job: SIGTERM to its process group, SIGKILL after `killGraceMs`. */
  readonly signal: AbortSignal;
  readonly killGraceMs: number;
}

/** How a job ended. */
export interface PilotJobExit {
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** Set when a command could not start at all. */
  readonly error?: string;
}

/** The hook a worker runs each job with (the default spawns its commands; the CLI may run `qg run-qbb` in-process). */
export type RunPilotJob = (job: PilotJobSpec, io: PilotJobIo) => Promise<PilotJobExit>;

/**
 * The default hook: runs a job's commands one after the other as processes, each in its own
 * process group, no shell, output appended to the attempt's log files; stops at the first
 * failure (the local site's runner).
 */
export const runJobProcesses: RunPilotJob = async (job, io) => {
  const exit = await runJobCommands({ commands: job.commands, cwd: job.cwd, stdout: io.stdout, stderr: io.stderr, env: io.env, signal: io.signal, killGraceMs: io.killGraceMs, onSpawn: () => undefined });
  return { exitCode: exit.exitCode, signal: exit.signal, ...(exit.spawnError !== undefined ? { error: exit.spawnError } : {}) };
};
