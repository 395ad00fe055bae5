/** Result of {@link sortTopologically}: an order, or one cycle (first node repeated at the end). */
export type TopologicalResult = { readonly order: number[] } | { readonly cycle: number[] };

/**
 * Kahn's algorithm on nodes `0..n-1` with `children[i]` edges; ties keep index order (a
 * min-heap would cost more than it helps: sources are taken in index order, children as
 * they become ready). On a cycle, returns one cycle found by walking the nodes left over.
 */
export function sortTopologically(n: number, children: readonly (readonly number[])[]): TopologicalResult {
  const indegree = new Int32Array(n);
  for (const list of children) for (const c of list) indegree[c]!++;
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (indegree[i] === 0) order.push(i);
  for (let head = 0; head < order.length; head++) {
    for (const c of children[order[head]!] ?? []) if (--indegree[c]! === 0) order.push(c);
  }
  if (order.length === n) return { order };
  return { cycle: findCycle(n, children, indegree) };
}

function findCycle(n: number, children: readonly (readonly number[])[], indegree: Int32Array): number[] {
  // A node left with indegree > 0 still has a parent that is left too, so walking up through
  // left parents must come back to a node already on the path: that loop is a cycle.
  const leftParent = new Int32Array(n).fill(-1);
  for (let p = 0; p < n; p++) {
    if (indegree[p]! === 0) continue;
    for (const c of children[p] ?? []) if (indegree[c]! > 0) leftParent[c] = p;
  }
  const seenAt = new Map<number, number>();
  const path: number[] = [];
  let node = indegree.findIndex((d) => d > 0);
  while (!seenAt.has(node)) {
    seenAt.set(node, path.length);
    path.push(node);
    node = leftParent[node]!;
  }
  const loop = path.slice(seenAt.get(node)!).reverse();
  return [...loop, loop[0]!];
}
