import { execa } from 'execa';
import { SlurmCommandError } from './slurm-command-error.js';

/** How Slurm commands are run: extra environment (e.g. `SLURM_CONF`) and a time limit. */
export interface SlurmCommandOptions {
  /** Added to the inherited environment; `SLURM_CONF` selects the cluster. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Kill the command after this many milliseconds (default 120 000: sbatch retries ~120 s when the queue is full). */
  readonly timeoutMs?: number;
}

/** Output of a Slurm command that exited (with any code, when `allowExitCodes` says so). */
export interface SlurmCommandResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs one Slurm client command with an argument array (never through a shell) and returns its
 * output. Throws {@link SlurmCommandError} when it cannot start, times out, is killed, or exits
 * with a code not in `allowExitCodes` (default: only 0).
 */
export async function runSlurmCommand(
  argv: readonly string[],
  options: SlurmCommandOptions & { readonly allowExitCodes?: readonly number[] } = {},
): Promise<SlurmCommandResult> {
  const [program, ...args] = argv;
  if (program === undefined) throw new SlurmCommandError({ command: [], stderr: '', problem: 'is empty' });
  const result = await execa(program, args, {
    env: options.env ?? {},
    extendEnv: true,
    reject: false,
    stdin: 'ignore',
    timeout: options.timeoutMs ?? 120_000,
    stripFinalNewline: false,
  });
  const stderr = String(result.stderr ?? '');
  if ((result as { code?: string }).code === 'ENOENT') {
    throw new SlurmCommandError({
      command: argv, stderr, cause: result, problem: 'could not be started (not found)',
      hint: `install Slurm's client commands (Debian: slurm-client) and put '${program}' on PATH`,
    });
  }
  if (result.timedOut) {
    throw new SlurmCommandError({ command: argv, stderr, cause: result, problem: `did not finish within ${options.timeoutMs ?? 120_000} ms`, hint: 'check that slurmctld answers (scontrol ping)' });
  }
  if (result.exitCode === undefined) {
    throw new SlurmCommandError({ command: argv, stderr, cause: result, problem: `was killed by ${result.signal ?? 'a signal'}` });
  }
  if (!(options.allowExitCodes ?? [0]).includes(result.exitCode)) {
    throw new SlurmCommandError({ command: argv, commandExitCode: result.exitCode, stderr, cause: result });
  }
  return { exitCode: result.exitCode, stdout: String(result.stdout ?? ''), stderr };
}
