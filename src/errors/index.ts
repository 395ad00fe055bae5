/**
 * Error types of the project. Every error raised on purpose derives from {@link BpsError} and
 * carries a stable `exitCode`; the table of codes is {@link ExitCode} and is documented in the
 * README.
 * @packageDocumentation
 */
export {
  BpsError,
  ConflictError,
  DatabaseError,
  DatastoreError,
  ExitCode,
  InvalidInputError,
  NotFoundError,
  UsageError,
} from './bps-error.js';
export type { BpsErrorOptions } from './bps-error.js';
