import type { BinaryOperator, WhereExpression } from './ast.js';
import { parseInList } from './parse-in-list.js';
import { parseNumberOrRange, parsePrimary } from './parse-primary.js';
import { describeToken } from './token-cursor.js';
import type { TokenCursor } from './token-cursor.js';
import type { Token } from './lexer.js';

/*
 * Precedence, loosest first (as in daf_butler's grammar):
 *   OR  <  AND  <  NOT (prefix)  <  comparisons and OVERLAPS  <  IN / NOT IN
 *   <  + -  <  * / %  <  unary + -  <  primary
 * Binary operators are left-associative; comparisons do not chain.
 */

const COMPARISONS = new Set(['=', '!=', '<', '<=', '>', '>=']);

function makeBinary(op: BinaryOperator, left: WhereExpression, right: WhereExpression): WhereExpression {
  return { kind: 'binary', op, left, right, start: left.start, end: right.end };
}

/** Parses one full expression (an OR chain) at the cursor. */
export function parseExpression(cursor: TokenCursor): WhereExpression {
  let left = parseAnd(cursor);
  while (cursor.isKeyword('OR')) {
    cursor.advance();
    left = makeBinary('OR', left, parseAnd(cursor));
  }
  return left;
}

function parseAnd(cursor: TokenCursor): WhereExpression {
  let left = parseNot(cursor);
  while (cursor.isKeyword('AND')) {
    cursor.advance();
    left = makeBinary('AND', left, parseNot(cursor));
  }
  return left;
}

function parseNot(cursor: TokenCursor): WhereExpression {
  if (!cursor.isKeyword('NOT')) return parseComparison(cursor);
  const not = cursor.advance();
  return cursor.nest(not, () => {
    const operand = parseNot(cursor);
    return { kind: 'unary', op: 'NOT', operand, start: not.start, end: operand.end };
  });
}

function comparisonOperator(token: Token): BinaryOperator | undefined {
  if (token.type === 'op' && COMPARISONS.has(token.value)) return token.value as BinaryOperator;
  if (token.type === 'keyword' && token.value === 'OVERLAPS') return 'OVERLAPS';
  return undefined;
}

function parseComparison(cursor: TokenCursor): WhereExpression {
  const left = parsePredicate(cursor);
  const op = comparisonOperator(cursor.peek());
  if (op === undefined) return left;
  cursor.advance();
  const node = makeBinary(op, left, parsePredicate(cursor));
  const next = cursor.peek();
  if (comparisonOperator(next) !== undefined) {
    throw cursor.error(`comparisons cannot be chained: found ${describeToken(next)} after a comparison`, next, {
      hint: 'combine comparisons with AND, e.g. a < b AND b < c, or add parentheses',
    });
  }
  return node;
}

/** An arithmetic expression, optionally followed by `IN (...)` or `NOT IN (...)`. */
function parsePredicate(cursor: TokenCursor): WhereExpression {
  const value = parseAdditive(cursor);
  let negated = false;
  if (cursor.isKeyword('NOT')) {
    if (!cursor.isKeyword('IN', 1)) {
      const next = cursor.peek(1);
      throw cursor.error(`expected IN after NOT, found ${describeToken(next)}`, next, {
        hint: "NOT after a value must start NOT IN (...); to negate a condition put NOT in front of it",
      });
    }
    cursor.advance();
    negated = true;
  }
  if (!cursor.isKeyword('IN')) return value;
  cursor.advance();
  return parseInList(cursor, value, { negated, parseExpression });
}

function parseAdditive(cursor: TokenCursor): WhereExpression {
  let left = parseMultiplicative(cursor);
  while (cursor.isOp('+') || cursor.isOp('-')) {
    const op = cursor.advance().value as BinaryOperator;
    left = makeBinary(op, left, parseMultiplicative(cursor));
  }
  return left;
}

function parseMultiplicative(cursor: TokenCursor): WhereExpression {
  let left = parseUnary(cursor);
  while (cursor.isOp('*') || cursor.isOp('/') || cursor.isOp('%')) {
    const op = cursor.advance().value as BinaryOperator;
    left = makeBinary(op, left, parseUnary(cursor));
  }
  return left;
}

function parseUnary(cursor: TokenCursor): WhereExpression {
  if (!cursor.isOp('+') && !cursor.isOp('-')) return parsePrimary(cursor, parseExpression);
  const sign = cursor.advance();
  // A sign written before a number belongs to the literal (and to a range's first bound).
  if (cursor.peek().type === 'number') return parseNumberOrRange(cursor, sign);
  return cursor.nest(sign, () => {
    const operand = parseUnary(cursor);
    return { kind: 'unary', op: sign.value as '+' | '-', operand, start: sign.start, end: operand.end };
  });
}
