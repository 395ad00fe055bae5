import { BpsError, ExitCode } from '../errors/index.js';

/** Context of a {@link WhereClauseError}. */
export interface WhereClauseErrorOptions {
  /** The full where-clause text. */
  expression: string;
  /** 0-based offset of the offending character. */
  offset: number;
  /** How many characters to underline (default 1). */
  length?: number;
  hint?: string;
  cause?: unknown;
}

const EXCERPT_WIDTH = 100;

/**
 * A where-clause that cannot be parsed or refers to something that does not exist. The message
 * is the reason followed by the offending line of the expression with a caret under `offset`.
 */
export class WhereClauseError extends BpsError {
  override readonly code = 'WHERE_CLAUSE';
  override readonly exitCode = ExitCode.expression;
  /** The full where-clause text. */
  readonly expression: string;
  /** 0-based offset of the offending character in `expression`. */
  readonly offset: number;
  /** The first line of the message, without the excerpt. */
  readonly reason: string;

  constructor(reason: string, options: WhereClauseErrorOptions) {
    const offset = Math.max(0, Math.min(options.offset, options.expression.length));
    super(`${reason}\n${formatExcerpt(options.expression, offset, options.length ?? 1)}`, options);
    this.expression = options.expression;
    this.offset = offset;
    this.reason = reason;
  }
}

/** Builds `Syntax error in where-clause at position N[ (line L, column C)]: detail`. */
export function createSyntaxError(
  detail: string,
  options: WhereClauseErrorOptions,
): WhereClauseError {
  return new WhereClauseError(
    `Syntax error in where-clause at ${describePosition(options.expression, options.offset)}: ${detail}`,
    options,
  );
}

/** `position 12`, plus line and column when the expression spans several lines. */
export function describePosition(expression: string, offset: number): string {
  if (!expression.includes('\n')) return `position ${offset}`;
  const before = expression.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return `position ${offset} (line ${line}, column ${column})`;
}

/**
 * Two indented lines: the line of the expression holding `offset` (cut around it when very
 * long) and a caret line under it. Tabs are kept so the caret lines up.
 */
function formatExcerpt(expression: string, offset: number, length: number): string {
  const lineStart = offset === 0 ? 0 : expression.lastIndexOf('\n', offset - 1) + 1;
  const newline = expression.indexOf('\n', offset);
  const lineEnd = newline === -1 ? expression.length : newline;
  let from = lineStart;
  let to = lineEnd;
  let prefix = '';
  let suffix = '';
  if (to - from > EXCERPT_WIDTH) {
    from = Math.max(lineStart, offset - EXCERPT_WIDTH / 2);
    to = Math.min(lineEnd, from + EXCERPT_WIDTH);
    if (from > lineStart) prefix = '...';
    if (to < lineEnd) suffix = '...';
  }
  const shown = expression.slice(from, to).replace(/\r/g, ' ');
  const pad = prefix.replace(/./g, ' ') + shown.slice(0, offset - from).replace(/[^\t]/g, ' ');
  const underline = '^'.repeat(Math.max(1, Math.min(length, to - offset)));
  return `  ${prefix}${shown}${suffix}\n  ${pad}${underline}`;
}
