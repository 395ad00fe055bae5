import type { InItem, InNode, WhereExpression } from './ast.js';
import { describeNode } from './check-call.js';
import { expectedClose, parseNumberOrRange, parsePrimary } from './parse-primary.js';
import type { ParseExpression } from './parse-primary.js';
import { describeToken } from './token-cursor.js';
import type { TokenCursor } from './token-cursor.js';

const LIST_HINT = 'IN lists hold literals, ranges (1..10:2), bind names and UUID(...), e.g. visit IN (1, 5, 10..20)';

/**
 * Parses the `(item, ...)` after `IN` / `NOT IN` (the keywords are already consumed) and
 * returns the `in` node for `value`.
 */
export function parseInList(
  cursor: TokenCursor,
  value: WhereExpression,
  options: { negated: boolean; parseExpression: ParseExpression },
): InNode {
  const keyword = cursor.previous();
  if (!cursor.isOp('(')) {
    throw cursor.error(`expected '(' after ${keyword ? describeToken(keyword) : 'IN'}, found ${describeToken(cursor.peek())}`, cursor.peek(), {
      hint: 'IN takes a parenthesised list, e.g. visit IN (1, 2, 10..20)',
    });
  }
  const open = cursor.advance();
  if (cursor.isOp(')')) {
    throw cursor.error('IN list is empty: expected at least one value', cursor.peek(), { hint: LIST_HINT });
  }
  const items: InItem[] = [];
  for (;;) {
    items.push(parseInItem(cursor, options.parseExpression));
    if (cursor.accept(',')) continue;
    const close = cursor.accept(')');
    if (close === undefined) {
      const next = cursor.peek();
      if (next.type === 'eof') throw expectedClose(cursor, open);
      throw cursor.error(`expected ',' or ')' in IN list, found ${describeToken(next)}`, next, { hint: LIST_HINT });
    }
    return { kind: 'in', negated: options.negated, value, items, start: value.start, end: close.end };
  }
}

function parseInItem(cursor: TokenCursor, parseExpression: ParseExpression): InItem {
  const token = cursor.peek();
  if (token.type === 'op' && (token.value === '-' || token.value === '+')) {
    if (cursor.peek(1).type !== 'number') {
      throw cursor.error(`expected a number after '${token.value}' in IN list, found ${describeToken(cursor.peek(1))}`, cursor.peek(1), { hint: LIST_HINT });
    }
    cursor.advance();
    return parseNumberOrRange(cursor, token);
  }
  if (token.type === 'number') return parseNumberOrRange(cursor);
  if (token.type === 'identifier' && token.value.includes('.') && !cursor.isOp('(', 1)) {
    throw cursor.error(`IN lists cannot hold qualified identifiers, found '${token.value}'`, token, {
      hint: `compare columns with '=' instead, or pass the values as a bind name; ${LIST_HINT}`,
    });
  }
  if (token.type === 'op' && token.value === '(') {
    throw cursor.error('IN list items cannot be parenthesised', token, { hint: LIST_HINT });
  }
  if (!['string', 'time', 'identifier', 'bind'].includes(token.type)) {
    throw cursor.error(`expected a value in IN list, found ${describeToken(token)}`, token, { hint: LIST_HINT });
  }
  const item = parsePrimary(cursor, parseExpression);
  if (item.kind === 'literal' || item.kind === 'identifier' || item.kind === 'bind') return item;
  throw cursor.error(`IN lists cannot hold ${describeNode(item)}`, item.start, { length: item.end - item.start, hint: LIST_HINT });
}
