import { SiteError } from '../site-error.js';

/** Known Slurm complaints (stderr) and one way to fix each. */
const HINTS: readonly (readonly [RegExp, string])[] = [
  [/Could not establish a configuration source|resolve_ctls_from_dns_srv/, 'point SLURM_CONF at the cluster\'s slurm.conf (for the dev cluster: scripts/dev-slurm.sh start, then export the line it prints)'],
  [/Unable to contact slurm controller|Connection refused|Socket timed out/, 'check that slurmctld is running and reachable (scontrol ping)'],
  [/[Ii]nvalid partition/, 'set the partition in the site config to one `sinfo -s` lists'],
  [/Memory specification can not be satisfied/, 'request less memory (requestMemory / memoryLimit) or choose a partition with bigger nodes'],
  [/More processors requested than permitted|Requested node configuration is not available/, 'request fewer CPUs or less memory, or choose another partition'],
  [/Invalid account|Invalid qos/, 'check the account/qos in the site config against `sacctmgr show assoc user=$USER`'],
  [/Invalid feature specification/, 'check the constraint in the site config against the features `sinfo -o %f` lists'],
  [/Slurm temporarily unable to accept job|Resource temporarily unavailable/, 'the controller holds too many jobs (MaxJobCount); wait, or lower the submission rate'],
  [/Invalid job array specification/, 'use fewer array tasks than the cluster\'s MaxArraySize'],
];

/** Keeps the last few lines of a command's stderr for messages. */
export function tailLines(text: string, lines = 8): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** A Slurm command (sbatch, squeue, scontrol, scancel, sinfo) failed or could not be started. */
export class SlurmCommandError extends SiteError {
  /**
   * `problem` replaces "exited with code N" when the command did not run to an exit (not found,
   * timed out); `hint` replaces the hint derived from known stderr messages.
   */
  constructor(options: { command: readonly string[]; commandExitCode?: number; stderr: string; cause?: unknown; problem?: string; hint?: string }) {
    const stderrTail = tailLines(options.stderr);
    const what = options.problem ?? (options.commandExitCode === undefined ? 'failed' : `exited with code ${options.commandExitCode}`);
    const hint = options.hint ?? HINTS.find(([re]) => re.test(options.stderr))?.[1] ?? 'run the command by hand to see its full output';
    super(`Slurm command '${options.command.join(' ')}' ${what}${stderrTail === '' ? '' : `: ${stderrTail}`}`, {
      site: 'slurm',
      command: options.command,
      ...(options.commandExitCode !== undefined ? { commandExitCode: options.commandExitCode } : {}),
      stderrTail,
      hint,
      cause: options.cause,
    });
  }
}
