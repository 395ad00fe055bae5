import type { Token } from './lexer.js';
import { createSyntaxError } from './where-clause-error.js';
import type { WhereClauseError } from './where-clause-error.js';

/** Deepest nesting of parentheses, calls and prefix operators the parser accepts. */
export const MAX_NESTING = 200;

/** Position in a token list, with the helpers every parsing function needs. */
export class TokenCursor {
  private index = 0;
  private depth = 0;

  constructor(
    readonly expression: string,
    private readonly tokens: readonly Token[],
  ) {}

  /** The current token (eof at the end). */
  peek(ahead = 0): Token {
    const last = this.tokens[this.tokens.length - 1] as Token;
    return this.tokens[this.index + ahead] ?? last;
  }

  /** The token before the current one, if any. */
  previous(): Token | undefined {
    return this.index > 0 ? this.tokens[this.index - 1] : undefined;
  }

  /** Returns the current token and moves past it. */
  advance(): Token {
    const token = this.peek();
    if (token.type !== 'eof') this.index += 1;
    return token;
  }

  /** True when the current token (or the one `ahead` of it) is the operator `op`. */
  isOp(op: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.type === 'op' && token.value === op;
  }

  /** True when the current token is `keyword`. */
  isKeyword(keyword: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.type === 'keyword' && token.value === keyword;
  }

  /** Consumes `op` when it is the current token. */
  accept(op: string): Token | undefined {
    return this.isOp(op) ? this.advance() : undefined;
  }

  /** Runs `parse` one nesting level deeper, refusing absurd depths before the stack does. */
  nest<T>(at: Token, parse: () => T): T {
    if (this.depth >= MAX_NESTING) {
      throw this.error(`expression is nested more than ${MAX_NESTING} levels deep`, at, {
        hint: 'simplify the expression; long lists belong in IN (...)',
      });
    }
    this.depth += 1;
    try {
      return parse();
    } finally {
      this.depth -= 1;
    }
  }

  /** A syntax error pointing at `at` (a token or an offset). */
  error(detail: string, at: Token | number, extra: { hint?: string; length?: number } = {}): WhereClauseError {
    const offset = typeof at === 'number' ? at : at.start;
    const length = extra.length ?? (typeof at === 'number' ? 1 : Math.max(1, at.end - at.start));
    return createSyntaxError(detail, { expression: this.expression, offset, length, hint: extra.hint });
  }
}

/** Human description of a token for messages: `end of expression`, `'AND'`, `number 5`... */
export function describeToken(token: Token): string {
  switch (token.type) {
    case 'eof':
      return 'end of expression';
    case 'keyword':
    case 'op':
      return `'${token.value}'`;
    case 'number':
      return `number ${token.value}`;
    case 'string':
      return `string '${token.value}'`;
    case 'time':
      return `time T'${token.value}'`;
    case 'identifier':
      return `identifier '${token.value}'`;
    case 'bind':
      return `bind name ':${token.value}'`;
  }
}
