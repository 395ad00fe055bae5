import { PipelineGraphError } from './pipeline-errors.js';
import type { GraphTask } from './pipeline-graph-types.js';

/** Node of the bipartite data-flow graph: a task, a task's init, or a dataset type. */
type NodeId = string;
const taskNode = (label: string): NodeId => `task:${label}`;
const initNode = (label: string): NodeId => `init:${label}`;
const dataNode = (name: string): NodeId => `data:${name}`;

/**
 * Builds the data-flow graph the reference uses: dataset types → task (inputs, prerequisites),
 * task → dataset types (outputs), init-inputs → task init → init-outputs, task init → task.
 */
export function buildFlowEdges(tasks: readonly GraphTask[]): Map<NodeId, Set<NodeId>> {
  const edges = new Map<NodeId, Set<NodeId>>();
  const add = (a: NodeId, b: NodeId): void => {
    if (!edges.has(a)) edges.set(a, new Set());
    if (!edges.has(b)) edges.set(b, new Set());
    (edges.get(a) as Set<NodeId>).add(b);
  };
  for (const t of tasks) {
    add(initNode(t.label), taskNode(t.label));
    for (const c of t.connections) {
      if (c.kind === 'input' || c.kind === 'prerequisiteInput') add(dataNode(c.datasetType), taskNode(t.label));
      else if (c.kind === 'output') add(taskNode(t.label), dataNode(c.datasetType));
      else if (c.kind === 'initInput') add(dataNode(c.datasetType), initNode(t.label));
      else add(initNode(t.label), dataNode(c.datasetType));
    }
  }
  return edges;
}

function reach(edges: Map<NodeId, Set<NodeId>>, start: NodeId, reverse: boolean): Set<NodeId> {
  const adjacency = reverse ? new Map<NodeId, Set<NodeId>>() : edges;
  if (reverse) {
    for (const [a, bs] of edges) for (const b of bs) {
      if (!adjacency.has(b)) adjacency.set(b, new Set());
      (adjacency.get(b) as Set<NodeId>).add(a);
    }
  }
  const seen = new Set<NodeId>([start]);
  const stack = [start];
  while (stack.length > 0) {
    for (const next of adjacency.get(stack.pop() as NodeId) ?? []) {
      if (!seen.has(next)) { seen.add(next); stack.push(next); }
    }
  }
  return seen;
}

/**
 * Labels of tasks downstream of `begin` and upstream of `end` (both inclusive, either open),
 * like the reference's `tasks.between`: tasks unrelated to a bound are not included.
 */
export function selectTasksBetween(tasks: readonly GraphTask[], begin: string | undefined, end: string | undefined): Set<string> {
  const edges = buildFlowEdges(tasks);
  const all = new Set(tasks.map((t) => taskNode(t.label)));
  const down = begin === undefined ? all : reach(edges, taskNode(begin), false);
  const up = end === undefined ? all : reach(edges, taskNode(end), true);
  return new Set(tasks.filter((t) => down.has(taskNode(t.label)) && up.has(taskNode(t.label))).map((t) => t.label));
}

/** Task-to-task dependencies: `b` depends on `a` when `a` writes something `b` reads. */
export function taskDependencies(tasks: readonly GraphTask[]): Map<string, Map<string, string>> {
  const producer = new Map<string, string>();
  for (const t of tasks) for (const c of t.connections) if (c.kind === 'output' || c.kind === 'initOutput') producer.set(c.datasetType, t.label);
  const deps = new Map<string, Map<string, string>>();
  for (const t of tasks) {
    const mine = new Map<string, string>();
    for (const c of t.connections) {
      const p = c.kind === 'input' || c.kind === 'initInput' || c.kind === 'prerequisiteInput' ? producer.get(c.datasetType) : undefined;
      if (p !== undefined) mine.set(p, c.datasetType);
    }
    deps.set(t.label, mine);
  }
  return deps;
}

function findCycle(deps: Map<string, Map<string, string>>, remaining: Set<string>): string {
  const start = [...remaining][0] as string;
  const path: string[] = [];
  const onPath = new Map<string, number>();
  let current = start;
  for (;;) {
    if (onPath.has(current)) {
      const cycle = path.slice(onPath.get(current));
      cycle.push(current);
      // The walk followed dependencies backwards; show the cycle in data-flow order.
      cycle.reverse();
      return cycle.map((label, i) => {
        const next = cycle[i + 1];
        return next === undefined ? `'${label}'` : `'${label}' -(${deps.get(next)?.get(label)})->`;
      }).join(' ');
    }
    onPath.set(current, path.length);
    path.push(current);
    current = [...(deps.get(current)?.keys() ?? [])].find((d) => remaining.has(d)) as string;
  }
}

/**
 * Orders tasks so that producers come before consumers; ties are broken by `rank` (step index,
 * then pipeline order). A cycle is an error naming the tasks and dataset types around it.
 */
export function sortTasks(tasks: readonly GraphTask[], rank: (t: GraphTask) => number, file: string): GraphTask[] {
  const deps = taskDependencies(tasks);
  const byLabel = new Map(tasks.map((t) => [t.label, t]));
  const remaining = new Set(tasks.map((t) => t.label));
  const done = new Set<string>();
  const out: GraphTask[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining].filter((l) => [...(deps.get(l)?.keys() ?? [])].every((d) => done.has(d) || d === l));
    const selfLoop = [...remaining].find((l) => deps.get(l)?.has(l));
    if (ready.length === 0 || selfLoop !== undefined) {
      const cycle = selfLoop !== undefined ? `'${selfLoop}' -(${deps.get(selfLoop)?.get(selfLoop)})-> '${selfLoop}'` : findCycle(deps, remaining);
      throw new PipelineGraphError(`the pipeline '${file}' has a cycle in its data flow: ${cycle}`, {
        file,
        label: selfLoop ?? [...remaining][0],
        hint: 'rename one of the dataset types in the cycle with a connections.<name> override',
      });
    }
    const next = ready.map((l) => byLabel.get(l) as GraphTask).sort((a, b) => rank(a) - rank(b))[0] as GraphTask;
    out.push(next);
    done.add(next.label);
    remaining.delete(next.label);
  }
  return out;
}
