import { InvalidInputError } from '../../errors/index.js';

/**
 * Quotes one word for a POSIX shell: the result, pasted into a command line, is read back as exactly
 * `value`, whatever it contains (spaces, quotes, `$(...)`, backquotes, newlines, globs). Words made
 * only of characters no shell treats specially (no `=`, which would make a leading word an
 * assignment) are left bare so generated scripts stay readable.
 */
export function shellQuote(value: string): string {
  // A NUL byte cannot appear in a shell word, an argument or an environment value.
  if (value.includes('\0')) {
    throw new InvalidInputError(`cannot quote ${JSON.stringify(value)} for a shell: it contains a NUL byte; remove it`);
  }
  if (value !== '' && /^[A-Za-z0-9_@%+:,./-]+$/.test(value)) return value;
  // Inside single quotes nothing is special except the closing quote itself, which is written as
  // end-quote, escaped quote, reopen-quote.
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Quotes every word of an argument vector and joins them with spaces. */
export function shellQuoteArgs(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
