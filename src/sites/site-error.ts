import { BpsError, ExitCode, type BpsErrorOptions } from '../errors/index.js';

/** A site could not prepare, submit, query or cancel a run; carries the site and the command. */
export class SiteError extends BpsError {
  override readonly code = 'SITE';
  override readonly exitCode = ExitCode.site;
  readonly site: string;
  readonly command: readonly string[] | undefined;
  readonly commandExitCode: number | undefined;
  /** Last lines of the command's stderr. */
  readonly stderrTail: string | undefined;

  constructor(message: string, options: BpsErrorOptions & { site: string; command?: readonly string[]; commandExitCode?: number; stderrTail?: string }) {
    super(message, options);
    this.site = options.site;
    this.command = options.command;
    this.commandExitCode = options.commandExitCode;
    this.stderrTail = options.stderrTail;
  }
}
