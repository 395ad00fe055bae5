import { destination, pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  level?: string;
  /** File descriptor to write to; stderr by default so stdout carries only results. */
  fd?: number;
}

/** A structured logger writing JSON lines to stderr. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    { level: options.level ?? process.env['BPS_LOG_LEVEL'] ?? 'info', base: undefined },
    destination({ fd: options.fd ?? 2, sync: true }),
  );
}

/** A logger that drops everything (tests and library callers that pass none). */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
