import { WHERE_FUNCTIONS } from './ast.js';
import type { WhereExpression } from './ast.js';
import { describeNode } from './check-call.js';
import { buildUnknownNameError } from './unknown-name-error.js';
import { walkExpression } from './walk-expression.js';
import { WhereClauseError, describePosition } from './where-clause-error.js';

const KNOWN_FUNCTIONS = [...WHERE_FUNCTIONS, 'UUID'];

/**
 * Checks what the grammar lets through but no query can use: ranges outside `IN (...)`,
 * unknown functions, and values where a condition is needed (the whole clause and the
 * operands of AND, OR, NOT must not be literals, ranges, tuples or arithmetic).
 * @throws WhereClauseError pointing at the first offending node.
 */
export function validateWhereClause(tree: WhereExpression, expression: string): void {
  const invalid = (detail: string, node: WhereExpression, hint: string): WhereClauseError =>
    new WhereClauseError(`Invalid where-clause at ${describePosition(expression, node.start)}: ${detail}`, {
      expression,
      offset: node.start,
      length: node.end - node.start,
      hint,
    });
  walkExpression(tree, (node, parent) => {
    const needsCondition =
      parent === null ||
      (parent.kind === 'binary' && (parent.op === 'AND' || parent.op === 'OR')) ||
      (parent.kind === 'unary' && parent.op === 'NOT');
    if (node.kind === 'range' && !(parent?.kind === 'in' && parent.value !== node)) {
      throw invalid(`range ${node.first}..${node.last} is only allowed inside IN (...)`, node, `write e.g. visit IN (${node.first}..${node.last})`);
    }
    if (needsCondition && !canBeCondition(node)) {
      throw invalid(`expected a condition such as visit = 1, found ${describeNode(node)}`, node, 'compare the value with something, e.g. visit > 100');
    }
    if (node.kind === 'call' && node.function === null) {
      throw buildUnknownNameError({ node, expression, candidates: KNOWN_FUNCTIONS, kind: 'function' });
    }
    return undefined;
  });
}

/** False for nodes that are certainly not boolean; columns, binds and calls may be. */
function canBeCondition(node: WhereExpression): boolean {
  switch (node.kind) {
    case 'literal':
    case 'range':
    case 'tuple':
      return false;
    case 'unary':
      return node.op === 'NOT';
    case 'binary':
      return !['+', '-', '*', '/', '%'].includes(node.op);
    default:
      return true;
  }
}
