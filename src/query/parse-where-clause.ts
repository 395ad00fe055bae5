import type { WhereExpression } from './ast.js';
import { tokenize } from './lexer.js';
import type { Token } from './lexer.js';
import { parseExpression } from './parse-expression.js';
import { TokenCursor, describeToken } from './token-cursor.js';
import type { WhereClauseError } from './where-clause-error.js';

/**
 * Parses a where-clause into its syntax tree; `null` for an empty or blank expression (no
 * constraint). Accepts exactly what daf_butler's grammar accepts, with a few clearer rejections
 * (chained comparisons, empty ranges, non-numeric geometry arguments). Unknown function names
 * and ranges outside `IN` parse, as upstream; {@link validateWhereClause} rejects them.
 * @throws WhereClauseError with the offset of the first problem.
 */
export function parseWhereClause(expression: string): WhereExpression | null {
  const tokens = tokenize(expression);
  const cursor = new TokenCursor(expression, tokens);
  if (cursor.peek().type === 'eof') return null;
  const tree = parseExpression(cursor);
  const trailing = cursor.peek();
  if (trailing.type !== 'eof') throw describeTrailing(cursor, trailing);
  return tree;
}

function describeTrailing(cursor: TokenCursor, token: Token): WhereClauseError {
  if (token.type === 'op') {
    switch (token.value) {
      case ')':
        return cursor.error("unbalanced parentheses: ')' has no matching '('", token, {
          hint: "remove the ')' or add the missing '('",
        });
      case '..':
        return cursor.error("'..' must have integer literals on both sides", token, {
          hint: 'ranges are written like visit IN (1..10) or IN (0..100:5)',
        });
      case ',':
        return cursor.error("unexpected ',' outside parentheses", token, {
          hint: 'lists of values belong in IN (...), e.g. visit IN (1, 2, 3)',
        });
      case ':':
        return cursor.error("':' must be followed by a bind name or, after a range, a stride", token, {
          hint: 'bind names look like :visit; strides like 1..10:2',
        });
      default:
        break;
    }
  }
  const previous = cursor.previous();
  const after = previous === undefined ? '' : ` after ${describeToken(previous)}`;
  return cursor.error(
    `expected an operator (AND, OR, =, <, IN, ...) or the end of the expression${after}, found ${describeToken(token)}`,
    token,
    { hint: hintForTrailing(token) },
  );
}

function hintForTrailing(token: Token): string | undefined {
  if (token.type === 'op' && token.value === '(') return 'function names are single words, e.g. POINT(ra, dec)';
  if (token.type === 'keyword' && token.value === 'IN') return 'an IN expression cannot be followed by another IN';
  if (token.type === 'identifier' || token.type === 'string' || token.type === 'number') {
    return "combine conditions with AND or OR; string values need single quotes, e.g. band = 'g'";
  }
  return undefined;
}
