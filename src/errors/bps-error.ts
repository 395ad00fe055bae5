/** Stable, documented exit codes; one per failure class. */
export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  invalidInput: 3,
  notFound: 4,
  conflict: 5,
  expression: 6,
  database: 7,
  datastore: 8,
  execution: 9,
  site: 10,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Options shared by every project error. */
export interface BpsErrorOptions {
  /** One way to fix the problem, shown after the message. */
  hint?: string;
  cause?: unknown;
}

/**
 * Base class of every error the project raises on purpose. The CLI turns it into a message on
 * stderr (plus the hint) and exits with `exitCode`; anything else is an internal error.
 */
export class BpsError extends Error {
  readonly code: string = 'BPS_ERROR';
  readonly exitCode: ExitCode = ExitCode.internal;
  readonly hint: string | undefined;

  constructor(message: string, options: BpsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }
}

/** Command-line arguments that do not make sense together or are malformed. */
export class UsageError extends BpsError {
  override readonly code = 'USAGE';
  override readonly exitCode = ExitCode.usage;
}

/** A file or value given by the user is malformed (YAML, export file, config key...). */
export class InvalidInputError extends BpsError {
  override readonly code = 'INVALID_INPUT';
  override readonly exitCode = ExitCode.invalidInput;
  readonly file: string | undefined;
  readonly key: string | undefined;

  constructor(message: string, options: BpsErrorOptions & { file?: string; key?: string } = {}) {
    super(message, options);
    this.file = options.file;
    this.key = options.key;
  }
}

/** Something named by the user (collection, dataset type, dataset, run) does not exist. */
export class NotFoundError extends BpsError {
  override readonly code = 'NOT_FOUND';
  override readonly exitCode = ExitCode.notFound;
}

/** The request conflicts with what the registry or datastore already holds. */
export class ConflictError extends BpsError {
  override readonly code = 'CONFLICT';
  override readonly exitCode = ExitCode.conflict;
}

/** The database could not be reached or answered with an unexpected error. */
export class DatabaseError extends BpsError {
  override readonly code = 'DATABASE';
  override readonly exitCode = ExitCode.database;
}

/** A datastore file could not be read, written or placed. */
export class DatastoreError extends BpsError {
  override readonly code = 'DATASTORE';
  override readonly exitCode = ExitCode.datastore;
  readonly path: string | undefined;

  constructor(message: string, options: BpsErrorOptions & { path?: string } = {}) {
    super(message, options);
    this.path = options.path;
  }
}
