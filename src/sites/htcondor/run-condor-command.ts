import { execa } from 'execa';
import { SiteError } from '../site-error.js';

/** Options of {@link runCondorCommand}. */
export interface CondorCommandOptions {
  readonly cwd?: string;
  readonly timeoutMs?: number;
}

/**
 * Runs one `condor_*` tool (argument array, no shell) and returns its stdout; a
 * {@link SiteError} carrying the command, exit code and stderr tail when it fails.
 */
export async function runCondorCommand(command: readonly string[], options: CondorCommandOptions = {}): Promise<string> {
  const [file, ...args] = command;
  const result = await execa(file!, args, { cwd: options.cwd, reject: false, timeout: options.timeoutMs ?? 60_000, stdin: 'ignore' });
  if (result.failed) {
    const stderrTail = String(result.stderr ?? '').split('\n').slice(-10).join('\n');
    const why = result.exitCode === undefined ? (result.timedOut ? 'timed out' : `could not start (${result.shortMessage})`) : `exited with code ${result.exitCode}`;
    throw new SiteError(`'${command.join(' ')}' ${why}${stderrTail === '' ? '' : `: ${stderrTail}`}`, {
      site: 'htcondor',
      command,
      ...(result.exitCode === undefined ? {} : { commandExitCode: result.exitCode }),
      stderrTail,
      hint: 'check that the HTCondor tools are on PATH and the schedd answers (bps-ts ping)',
    });
  }
  return String(result.stdout);
}
