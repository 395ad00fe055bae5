import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { InvalidInputError } from '../errors/index.js';

/**
 * Default patterns of error lines (in the spirit of DESDM's QCF: the operator lists patterns,
 * matching lines are reported with the failure). Set `errorPatterns` in the bps config to
 * replace them.
 */
export const DEFAULT_ERROR_PATTERNS: readonly string[] = [
  '\\b(ERROR|FATAL|CRITICAL)\\b',
  '"level":\\s*(50|60)\\b',
  '\\bTraceback\\b',
  '\\b\\w*(Error|Exception):',
  '\\bfailed:',
  'Killed|Out of memory|oom-kill',
];

/** Compiles error patterns; a bad one is an error naming it. */
export function compileErrorPatterns(patterns: readonly string[]): RegExp[] {
  return patterns.map((p) => {
    try {
      return new RegExp(p);
    } catch (err) {
      throw new InvalidInputError(`invalid error pattern '${p}': ${(err as Error).message}`, { key: 'errorPatterns', cause: err, hint: 'errorPatterns are JavaScript regular expressions' });
    }
  });
}

/** Options of {@link extractErrorLines}. */
export interface ExtractErrorLinesOptions {
  readonly patterns: readonly RegExp[];
  /** At most this many lines (the last ones matching). */
  readonly maxLines?: number;
  /** Lines are cut to this many characters. */
  readonly maxLineLength?: number;
  /** Only the last this-many bytes of the file are read. */
  readonly tailBytes?: number;
}

/** The lines of a log file matching any pattern (last `maxLines`); empty when the file is missing. */
export function extractErrorLines(file: string, options: ExtractErrorLinesOptions): string[] {
  const text = readTail(file, options.tailBytes ?? 1 << 20);
  if (text === undefined) return [];
  const max = options.maxLines ?? 8;
  const width = options.maxLineLength ?? 300;
  const hits: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || !options.patterns.some((p) => p.test(line))) continue;
    hits.push(line.length > width ? `${line.slice(0, width)}…` : line);
  }
  return hits.slice(-max);
}

function readTail(file: string, bytes: number): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = statSync(file).size;
    const length = Math.min(size, bytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    closeSync(fd);
  }
}
