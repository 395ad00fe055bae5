import { createSyntaxError } from './where-clause-error.js';

/** Token categories produced by {@link tokenize}. */
export type TokenType =
  | 'number'
  | 'string'
  | 'time'
  | 'identifier'
  | 'bind'
  | 'keyword'
  | 'op'
  | 'eof';

/**
 * One token. `value` is: the number text; the string or time text without quotes; the dotted
 * identifier; the bind name without colon; the upper-case keyword; the operator; '' at eof.
 */
export interface Token {
  readonly type: TokenType;
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IN', 'OVERLAPS']);
const TWO_CHAR_OPS = new Set(['!=', '<=', '>=', '..']);
const ONE_CHAR_OPS = new Set(['(', ')', ',', '=', '<', '>', '+', '-', '*', '/', '%']);
const MAX_IDENTIFIER_PARTS = 3;

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isIdentStart = (c: string | undefined): boolean => c !== undefined && /[A-Za-z_]/.test(c);
const isIdentChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_]/.test(c);

/** Splits a where-clause into tokens; the last token is always `eof`. */
export function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  const fail = (detail: string, offset: number, extra: { length?: number; hint?: string | undefined } = {}) =>
    createSyntaxError(detail, { expression, offset, ...extra });

  while (pos < expression.length) {
    const c = expression[pos] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      pos += 1;
      continue;
    }
    const start = pos;
    if ((c === 'T' || c === 't') && expression[pos + 1] === "'") {
      const end = findClosingQuote(expression, pos + 1);
      if (end < 0) throw fail('time literal is not closed: expected a closing quote', start);
      tokens.push({ type: 'time', value: expression.slice(pos + 2, end), start, end: end + 1 });
      pos = end + 1;
    } else if (c === "'") {
      const end = findClosingQuote(expression, pos);
      if (end < 0) {
        const spansLines = expression.indexOf("'", pos + 1) > 0;
        throw fail(
          spansLines
            ? 'string literal is not closed on its line (string literals cannot span lines)'
            : "string literal is not closed: expected a closing single quote (')",
          start,
        );
      }
      tokens.push({ type: 'string', value: expression.slice(pos + 1, end), start, end: end + 1 });
      pos = end + 1;
    } else if (c === '"') {
      const close = expression.indexOf('"', pos + 1);
      const shown = close < 0 ? expression.slice(pos) : expression.slice(pos, close + 1);
      throw fail(`double quotes are not allowed, found ${shown}`, start, {
        length: shown.length,
        hint:
          "string literals use single quotes, e.g. instrument = 'HSC'; in a shell, put the " +
          `whole where-clause in double quotes: -d "instrument = 'HSC'"`,
      });
    } else if (isDigit(c) || (c === '.' && isDigit(expression[pos + 1]))) {
      pos = scanNumber(expression, pos);
      tokens.push({ type: 'number', value: expression.slice(start, pos), start, end: pos });
    } else if (isIdentStart(c)) {
      pos = scanIdentifier(expression, pos, fail);
      const name = expression.slice(start, pos);
      const upper = name.toUpperCase();
      if (KEYWORDS.has(upper)) tokens.push({ type: 'keyword', value: upper, start, end: pos });
      else tokens.push({ type: 'identifier', value: name, start, end: pos });
    } else if (c === ':' && isIdentStart(expression[pos + 1])) {
      pos += 1;
      while (isIdentChar(expression[pos])) pos += 1;
      if (expression[pos] === '.') {
        throw fail(`bind name '${expression.slice(start, pos)}' cannot contain '.'`, pos, {
          hint: 'bind names are simple names such as :visit_ids',
        });
      }
      tokens.push({ type: 'bind', value: expression.slice(start + 1, pos), start, end: pos });
    } else if (c === ':' && expression[pos + 1] === '.') {
      throw fail("expected a bind name after ':', found '.'", start, {
        hint: 'bind names are simple names such as :visit_ids',
      });
    } else if (TWO_CHAR_OPS.has(expression.slice(pos, pos + 2))) {
      tokens.push({ type: 'op', value: expression.slice(pos, pos + 2), start, end: pos + 2 });
      pos += 2;
    } else if (ONE_CHAR_OPS.has(c) || c === ':') {
      tokens.push({ type: 'op', value: c, start, end: pos + 1 });
      pos += 1;
    } else {
      const character = String.fromCodePoint(expression.codePointAt(pos) ?? 0);
      throw fail(describeUnexpectedCharacter(character), start, { hint: hintForCharacter(character), length: character.length });
    }
  }
  tokens.push({ type: 'eof', value: '', start: expression.length, end: expression.length });
  return tokens;
}

/** Offset of the quote closing the one at `open`, or -1 when the line ends first. */
function findClosingQuote(expression: string, open: number): number {
  for (let i = open + 1; i < expression.length; i += 1) {
    const c = expression[i];
    if (c === "'") return i;
    if (c === '\n') return -1;
  }
  return -1;
}

function scanNumber(expression: string, from: number): number {
  let pos = from;
  while (isDigit(expression[pos])) pos += 1;
  // '1..5' is a range: the first '.' belongs to '..', not to the number.
  if (expression[pos] === '.' && expression[pos + 1] !== '.') {
    pos += 1;
    while (isDigit(expression[pos])) pos += 1;
  }
  const e = expression[pos];
  if (e === 'e' || e === 'E') {
    let next = pos + 1;
    if (expression[next] === '+' || expression[next] === '-') next += 1;
    if (isDigit(expression[next])) {
      pos = next;
      while (isDigit(expression[pos])) pos += 1;
    }
  }
  return pos;
}

type Fail = (detail: string, offset: number, extra?: { hint?: string }) => Error;

function scanIdentifier(expression: string, from: number, fail: Fail): number {
  let pos = from;
  let parts = 1;
  for (;;) {
    while (isIdentChar(expression[pos])) pos += 1;
    if (expression[pos] !== '.' || expression[pos + 1] === '.') return pos;
    if (!isIdentStart(expression[pos + 1])) {
      throw fail(
        `expected a name after '.' in identifier '${expression.slice(from, pos + 1)}'`,
        pos + 1,
        { hint: 'identifiers look like visit, visit.day_obs or visit.timespan.begin' },
      );
    }
    parts += 1;
    if (parts > MAX_IDENTIFIER_PARTS) {
      let end = pos + 1;
      while (isIdentChar(expression[end]) || expression[end] === '.') end += 1;
      throw fail(
        `identifier '${expression.slice(from, end)}' has more than ${MAX_IDENTIFIER_PARTS} parts`,
        pos,
        { hint: 'identifiers look like visit, visit.day_obs or visit.timespan.begin' },
      );
    }
    pos += 1;
  }
}

function describeUnexpectedCharacter(c: string): string {
  if (c === '.') return "unexpected '.'";
  return `unexpected character '${c}'`;
}

function hintForCharacter(c: string): string | undefined {
  switch (c) {
    case '!':
      return "use '!=' for not-equal and NOT for negation";
    case '&':
      return 'use AND to combine conditions';
    case '|':
      return 'use OR to combine conditions';
    case '.':
      return "a '.' belongs inside a number (0.5), an identifier (visit.day_obs) or a range (1..10)";
    case '[':
    case '{':
      return 'lists are written in parentheses: visit IN (1, 2, 3)';
    case ';':
      return 'a where-clause is a single expression; combine conditions with AND';
    default:
      return undefined;
  }
}
