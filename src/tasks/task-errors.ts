import { BpsError, ExitCode, type BpsErrorOptions } from '../errors/index.js';

/** Where a task failure happened, carried as fields for reports. */
export interface TaskFailureContext {
  /** Task label (or class name). */
  task?: string;
  /** The command that ran (command tasks), as an argument array. */
  command?: readonly string[];
  exitCode?: number | undefined;
  signal?: string | undefined;
  /** Last lines of the program's stderr. */
  stderrTail?: string;
}

/** A task failed while running a quantum (bad input data, a failing external program, a missing output). */
export class TaskFailedError extends BpsError {
  override readonly code = 'TASK_FAILED';
  override readonly exitCode = ExitCode.execution;
  readonly task: string | undefined;
  readonly command: readonly string[] | undefined;
  /** The program's exit code (command tasks); `exitCode` is the CLI's exit code. */
  readonly commandExitCode: number | undefined;
  readonly signal: string | undefined;
  readonly stderrTail: string | undefined;

  constructor(message: string, options: BpsErrorOptions & TaskFailureContext = {}) {
    super(message, options);
    this.task = options.task;
    this.command = options.command;
    this.commandExitCode = options.exitCode;
    this.signal = options.signal;
    this.stderrTail = options.stderrTail;
  }
}

/** A task's config or inputs do not fit what it needs (missing connection, wrong type, bad value). */
export class TaskInputError extends BpsError {
  override readonly code = 'TASK_INPUT';
  override readonly exitCode = ExitCode.invalidInput;
  readonly task: string | undefined;
  readonly key: string | undefined;

  constructor(message: string, options: BpsErrorOptions & { task?: string; key?: string } = {}) {
    super(message, options);
    this.task = options.task;
    this.key = options.key;
  }
}
