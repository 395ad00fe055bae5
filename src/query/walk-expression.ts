import type { WhereExpression } from './ast.js';

/** Direct children of a node, left to right (for `in`: the value, then the items). */
export function listChildren(node: WhereExpression): readonly WhereExpression[] {
  switch (node.kind) {
    case 'literal':
    case 'identifier':
    case 'bind':
    case 'range':
      return [];
    case 'unary':
      return [node.operand];
    case 'binary':
      return [node.left, node.right];
    case 'in':
      return [node.value, ...node.items];
    case 'tuple':
      return node.items;
    case 'call':
      return node.args;
  }
}

/** What a {@link walkExpression} visitor may return: `'skip'` stops descent into the node. */
export type WalkControl = void | 'skip' | 'stop';

/**
 * Visits every node in pre-order (parent before children, children left to right). The
 * visitor gets the node and its parent; returning `'skip'` skips the node's children and
 * `'stop'` ends the walk. Uses an explicit stack, so very long `OR` chains are fine.
 */
export function walkExpression(
  root: WhereExpression,
  visit: (node: WhereExpression, parent: WhereExpression | null) => WalkControl,
): void {
  const stack: [WhereExpression, WhereExpression | null][] = [[root, null]];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const [node, parent] = entry;
    const control = visit(node, parent);
    if (control === 'stop') return;
    if (control === 'skip') continue;
    const children = listChildren(node);
    for (let i = children.length - 1; i >= 0; i -= 1) stack.push([children[i] as WhereExpression, node]);
  }
}

/**
 * Computes a value bottom-up: `combine` gets each node with the results of its children (in
 * {@link listChildren} order). Iterative, so deep left-leaning trees from long `AND`/`OR`
 * chains do not exhaust the call stack; a SQL compiler can be written on top of it.
 */
export function foldExpression<T>(
  root: WhereExpression,
  combine: (node: WhereExpression, children: T[]) => T,
): T {
  interface Frame {
    node: WhereExpression;
    children: readonly WhereExpression[];
    results: T[];
  }
  const stack: Frame[] = [{ node: root, children: listChildren(root), results: [] }];
  for (;;) {
    const frame = stack[stack.length - 1] as Frame;
    const next = frame.children[frame.results.length];
    if (next !== undefined) {
      stack.push({ node: next, children: listChildren(next), results: [] });
      continue;
    }
    const value = combine(frame.node, frame.results);
    stack.pop();
    const parent = stack[stack.length - 1];
    if (parent === undefined) return value;
    parent.results.push(value);
  }
}

/** First node (pre-order) for which `test` is true, or undefined. */
export function findNode(
  root: WhereExpression,
  test: (node: WhereExpression, parent: WhereExpression | null) => boolean,
): WhereExpression | undefined {
  let found: WhereExpression | undefined;
  walkExpression(root, (node, parent) => {
    if (!test(node, parent)) return undefined;
    found = node;
    return 'stop';
  });
  return found;
}
