import { BpsError, ConflictError, ExitCode, NotFoundError, type BpsErrorOptions } from '../errors/index.js';

/** No run with the given id or submit directory. */
export class RunNotFoundError extends NotFoundError {}

/** The run is being driven by a live process (restart refused), or is in a state that forbids the request. */
export class RunBusyError extends ConflictError {}

/** A stage of `bps-ts submit` failed; carries the stage and, for commands, the command and its exit. */
export class StageError extends BpsError {
  override readonly code = 'STAGE';
  override readonly exitCode = ExitCode.execution;
  readonly stage: string;
  readonly command: readonly string[] | undefined;
  readonly commandExitCode: number | undefined;
  readonly stderrTail: string | undefined;

  constructor(message: string, options: BpsErrorOptions & { stage: string; command?: readonly string[]; commandExitCode?: number; stderrTail?: string }) {
    super(message, options);
    this.stage = options.stage;
    this.command = options.command;
    this.commandExitCode = options.commandExitCode;
    this.stderrTail = options.stderrTail;
  }
}
