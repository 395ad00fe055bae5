import type { NumberLiteralNode, RangeNode, WhereExpression } from './ast.js';
import { checkCall } from './check-call.js';
import type { Token } from './lexer.js';
import { convertTimeText } from './time-literal.js';
import { describeToken } from './token-cursor.js';
import type { TokenCursor } from './token-cursor.js';
import type { WhereClauseError } from './where-clause-error.js';

/** Parses a full expression at the cursor (passed in to keep the modules acyclic). */
export type ParseExpression = (cursor: TokenCursor) => WhereExpression;

const RANGE_HINT = "ranges are written with integer literals, e.g. visit IN (1..10) or IN (0..100:5)";

/**
 * Parses a primary: literal, identifier, bind name, function call, `(expr)` or `(a, b)`.
 * A number followed by `..` becomes a range.
 */
export function parsePrimary(cursor: TokenCursor, parseExpression: ParseExpression): WhereExpression {
  const token = cursor.peek();
  switch (token.type) {
    case 'number':
      return parseNumberOrRange(cursor);
    case 'string':
      cursor.advance();
      return { kind: 'literal', type: 'string', value: token.value, start: token.start, end: token.end };
    case 'time': {
      cursor.advance();
      const result = convertTimeText(token.value);
      if (!result.ok) throw cursor.error(`invalid time literal T'${token.value}': ${result.reason}`, token, { hint: result.hint });
      return { kind: 'literal', type: 'time', ...result.value, start: token.start, end: token.end };
    }
    case 'bind':
      cursor.advance();
      return { kind: 'bind', name: token.value, start: token.start, end: token.end };
    case 'identifier':
      cursor.advance();
      if (cursor.isOp('(')) return parseCall(cursor, token, parseExpression);
      return { kind: 'identifier', parts: token.value.split('.'), name: token.value, start: token.start, end: token.end };
    case 'op':
      if (token.value === '(') return parseParenthesised(cursor, parseExpression);
      if (token.value === ':') {
        throw cursor.error(`expected a bind name after ':', found ${describeToken(cursor.peek(1))}`, token, {
          hint: 'bind names start with a letter or underscore, e.g. :visit',
        });
      }
      break;
    default:
      break;
  }
  throw expectedValue(cursor);
}

/** Error for a missing operand at the cursor, phrased after the previous token. */
export function expectedValue(cursor: TokenCursor, what = 'a value'): WhereClauseError {
  const token = cursor.peek();
  const previous = cursor.previous();
  const after = previous === undefined ? '' : ` after ${describeToken(previous)}`;
  if (token.type === 'op' && token.value === ')' && previous?.value === '(') {
    return cursor.error("empty parentheses: expected an expression inside '()'", token);
  }
  return cursor.error(`expected ${what}${after}, found ${describeToken(token)}`, token, {
    hint: hintForMissingValue(previous, token),
  });
}

function hintForMissingValue(previous: Token | undefined, token: Token): string | undefined {
  if (previous?.value === '=' && token.value === '=') return "use a single '=' to compare";
  if (previous?.value === '<' && token.value === '>') return "use '!=' for not-equal";
  if (token.type === 'op' && token.value === '..') return RANGE_HINT;
  if (token.type === 'keyword' && token.value === 'NOT' && previous?.type === 'op') {
    return 'put NOT before the whole comparison: NOT a = b';
  }
  return undefined;
}

/**
 * Parses a number at the cursor, with an optional sign token already consumed, and a range
 * `a..b[:stride]` when `..` follows.
 */
export function parseNumberOrRange(cursor: TokenCursor, sign?: Token): NumberLiteralNode | RangeNode {
  const token = cursor.advance();
  const start = sign?.start ?? token.start;
  const text = (sign?.value ?? '') + token.value;
  if (!cursor.isOp('..')) return makeNumber(cursor, text, start, token.end);
  const dots = cursor.advance();
  if (!/^[+-]?\d+$/.test(text)) {
    throw cursor.error(`range bounds must be integers, found ${text} before '..'`, start, { length: dots.start - start, hint: RANGE_HINT });
  }
  const stopSign = cursor.isOp('-') || cursor.isOp('+') ? cursor.advance() : undefined;
  const stopToken = cursor.peek();
  if (stopToken.type !== 'number' || !/^\d+$/.test(stopToken.value)) {
    throw cursor.error(`expected an integer after '..', found ${describeToken(stopToken)}`, stopToken, { hint: RANGE_HINT });
  }
  cursor.advance();
  let end = stopToken.end;
  let stride: number | null = null;
  const after = cursor.peek();
  if (after.type === 'bind' && after.start === stopToken.end) {
    // '1..5:x' lexes as a bind name; it can only be a misspelt stride.
    throw cursor.error(`range stride must be a positive integer, found '${after.value}'`, after.start + 1, { hint: RANGE_HINT });
  }
  if (cursor.isOp(':')) {
    cursor.advance();
    const strideToken = cursor.peek();
    if (strideToken.type !== 'number' || !/^\d+$/.test(strideToken.value) || Number(strideToken.value) === 0) {
      throw cursor.error(`range stride must be a positive integer, found ${describeToken(strideToken)}`, strideToken, { hint: RANGE_HINT });
    }
    cursor.advance();
    stride = toSafeInteger(cursor, strideToken.value, strideToken.start);
    end = strideToken.end;
  }
  const first = toSafeInteger(cursor, text, start);
  const last = toSafeInteger(cursor, (stopSign?.value ?? '') + stopToken.value, stopSign?.start ?? stopToken.start);
  if (first > last) {
    throw cursor.error(`range ${first}..${last} is empty: its end is lower than its start`, start, {
      length: end - start,
      hint: `write ${last}..${first}`,
    });
  }
  return { kind: 'range', first, last, stride, start, end };
}

function toSafeInteger(cursor: TokenCursor, text: string, at: number): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw cursor.error(`integer ${text} is too large`, at, { length: text.length });
  return value;
}

function makeNumber(cursor: TokenCursor, text: string, start: number, end: number): NumberLiteralNode {
  const value = Number(text);
  if (!Number.isFinite(value)) throw cursor.error(`number ${text} is too large`, start, { length: end - start });
  return { kind: 'literal', type: 'number', value, text, integer: /^[+-]?\d+$/.test(text), start, end };
}

/** `(expr)` or the pair `(a, b)`. */
function parseParenthesised(cursor: TokenCursor, parseExpression: ParseExpression): WhereExpression {
  const open = cursor.advance();
  return cursor.nest(open, () => {
    const first = parseExpression(cursor);
    if (cursor.accept(')')) return first;
    if (!cursor.accept(',')) throw expectedClose(cursor, open);
    const second = parseExpression(cursor);
    if (cursor.isOp(',')) {
      throw cursor.error('tuples have exactly two items, found a third', cursor.peek(), {
        hint: "tuples are time ranges such as (T'2020-01-01', T'2020-01-02'); put lists of values in IN (...)",
      });
    }
    const close = cursor.accept(')');
    if (close === undefined) throw expectedClose(cursor, open);
    return { kind: 'tuple', items: [first, second], start: open.start, end: close.end };
  });
}

/** Error for a missing `)` matching `open`. */
export function expectedClose(cursor: TokenCursor, open: Token, expected = "')'"): WhereClauseError {
  const token = cursor.peek();
  if (token.type === 'eof') {
    return cursor.error(`unbalanced parentheses: '(' at position ${open.start} is never closed`, open, {
      hint: "add the missing ')'",
    });
  }
  return cursor.error(`expected ${expected} to close '(' at position ${open.start}, found ${describeToken(token)}`, token);
}

function parseCall(cursor: TokenCursor, name: Token, parseExpression: ParseExpression): WhereExpression {
  if (name.value.includes('.')) {
    throw cursor.error(`function names cannot contain '.', found '${name.value}('`, name, {
      hint: 'functions are POINT, CIRCLE, BOX, POLYGON, REGION, GLOB and UUID',
    });
  }
  const open = cursor.advance();
  return cursor.nest(open, () => {
    const args: WhereExpression[] = [];
    if (!cursor.isOp(')')) {
      for (;;) {
        args.push(parseExpression(cursor));
        if (!cursor.accept(',')) break;
        if (cursor.isOp(')')) throw expectedValue(cursor, 'an argument');
      }
    }
    const close = cursor.accept(')');
    if (close === undefined) throw expectedClose(cursor, open, "',' or ')'");
    const call = { kind: 'call', name: name.value, function: null, args, start: name.start, end: close.end } as const;
    return checkCall(call, cursor.expression);
  });
}
