import type { WhereExpression } from './ast.js';
import { foldExpression, listChildren } from './walk-expression.js';

/** Whether a child must be wrapped in parentheses when printed inside an operator. */
function isCompound(node: WhereExpression): boolean {
  return node.kind === 'binary' || node.kind === 'unary' || node.kind === 'in';
}

/**
 * Prints a tree back as a where-clause. Every operator operand that is itself an operator is
 * parenthesised, so the output shows the parse and parses back to the same tree. Keywords and
 * known function names are upper-case.
 */
export function formatExpression(tree: WhereExpression | null): string {
  if (tree === null) return '';
  return foldExpression<string>(tree, (node, texts) => {
    const children = listChildren(node);
    const operand = (i: number): string => {
      const child = children[i] as WhereExpression;
      return isCompound(child) ? `(${texts[i]})` : (texts[i] as string);
    };
    switch (node.kind) {
      case 'literal':
        if (node.type === 'string') return `'${node.value}'`;
        if (node.type === 'number') return node.text;
        if (node.type === 'time') return `T'${node.text}'`;
        return `UUID('${node.value}')`;
      case 'identifier':
        return node.name;
      case 'bind':
        return `:${node.name}`;
      case 'range':
        return `${node.first}..${node.last}${node.stride === null ? '' : `:${node.stride}`}`;
      case 'unary': {
        if (node.op === 'NOT') return `NOT ${operand(0)}`;
        // '-(1)' stays a unary minus when read back; '-1' would become a literal.
        const bare = node.operand.kind === 'literal' || node.operand.kind === 'range';
        return bare ? `${node.op}(${texts[0]})` : `${node.op}${operand(0)}`;
      }
      case 'binary':
        return `${operand(0)} ${node.op} ${operand(1)}`;
      case 'in':
        return `${operand(0)} ${node.negated ? 'NOT IN' : 'IN'} (${texts.slice(1).join(', ')})`;
      case 'tuple':
        return `(${texts.join(', ')})`;
      case 'call':
        return `${node.function ?? node.name}(${texts.join(', ')})`;
    }
  });
}
