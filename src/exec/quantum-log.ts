import { pino, type Logger } from 'pino';

/** A logger whose records are kept (JSON lines) for the quantum's log file and `_log` dataset. */
export interface QuantumLog {
  readonly logger: Logger;
  readonly lines: string[];
  /** The records as objects (the `<label>_log` dataset). */
  records(): Record<string, unknown>[];
  /** The records as readable text lines (the `.log` file). */
  text(): string;
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARNING', 50: 'ERROR', 60: 'FATAL' };

/** Makes a capturing logger with the quantum's label and data ID bound to every record. */
export function makeQuantumLog(bindings: Record<string, unknown>): QuantumLog {
  const lines: string[] = [];
  const logger = pino({ level: 'debug', base: undefined }, { write: (s: string) => void lines.push(s.trimEnd()) }).child(bindings);
  const records = (): Record<string, unknown>[] => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return {
    logger,
    lines,
    records,
    text: () =>
      records()
        .map((r) => {
          const { level, time, msg, ...rest } = r;
          const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
          return `${new Date(Number(time)).toISOString()} ${LEVELS[Number(level)] ?? level} ${String(msg ?? '')}${extra}`;
        })
        .join('\n') + '\n',
  };
}
