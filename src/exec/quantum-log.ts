import { pino, type Logger } from 'pino';

/** A logger whose records are kept (JSON lines) for the quantum's log file and `_log` dataset. */
export interface QuantumLog {
  readonly logger: Logger;
  readonly lines: string[];
  /** The records as objects (the `<label>_log` dataset). */
  records(): Record<string, unknown>[];
  /** The records as readable text lines (the `.log` file). */
  text(): string;
  /** Stops collecting (the quantum has ended). */
  close(): void;
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARNING', 50: 'ERROR', 60: 'FATAL' };
const KEY = '"quantumLog":';

/** Lines being collected, by the key every record of a quantum carries. */
const collectors = new Map<number, string[]>();
let nextKey = 0;

/**
 * One pino instance per process (making one costs more than a tiny quantum's work); each
 * quantum logs through a child bound to its own key, by which its lines are routed, so quanta
 * running at the same time in one process keep separate logs.
 */
const root = pino({ level: 'debug', base: undefined }, {
  write(line: string): void {
    const at = line.indexOf(KEY);
    if (at < 0) return;
    const key = Number.parseInt(line.slice(at + KEY.length, at + KEY.length + 12), 10);
    collectors.get(key)?.push(line.trimEnd());
  },
});

/** Makes a capturing logger with the quantum's label and data ID bound to every record. */
export function makeQuantumLog(bindings: Record<string, unknown>): QuantumLog {
  const key = nextKey++;
  const lines: string[] = [];
  collectors.set(key, lines);
  const logger = root.child({ quantumLog: key, ...bindings });
  const records = (): Record<string, unknown>[] =>
    lines.map((l) => {
      const { quantumLog: _key, ...record } = JSON.parse(l) as Record<string, unknown>;
      return record;
    });
  return {
    logger,
    lines,
    records,
    close: () => void collectors.delete(key),
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
