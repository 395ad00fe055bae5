import type { QuantumGraph } from '../graph/index.js';
import { ClusterError } from './cluster-error.js';
import type { ClusterDefinition } from './read-cluster-definitions.js';
import { sortTopologically } from './sort-topologically.js';

/** The task graph as the quanta show it. */
export interface TaskGraph {
  /** Task labels: the header's tasks first (pipeline order), then any other label of a quantum. */
  readonly labels: readonly string[];
  /** `children[i]`: indexes of the labels fed by label `i`. */
  readonly children: readonly (readonly number[])[];
  /** Quantum indexes per label, ascending. */
  readonly quantaByLabel: readonly (readonly number[])[];
  /** Label index of every quantum. */
  readonly labelOfQuantum: Int32Array;
}

/** One unit of clustering, in dependency order: a cluster definition, or a task left alone. */
export interface LabelPlan {
  readonly label: string;
  readonly definition: ClusterDefinition | undefined;
  /** The tasks, in dependency order. */
  readonly tasks: readonly string[];
}

/** Derives the task graph from the quanta and their upstream links. */
export function describeTaskGraph(graph: QuantumGraph): TaskGraph {
  const index = new Map<string, number>();
  const labels: string[] = [];
  const add = (label: string): number => {
    let i = index.get(label);
    if (i === undefined) {
      i = labels.length;
      index.set(label, i);
      labels.push(label);
    }
    return i;
  };
  for (const task of graph.header.tasks) add(task.label);
  const labelOfQuantum = new Int32Array(graph.quanta.length);
  graph.quanta.forEach((q, i) => {
    if (q.index !== i) throw new ClusterError(`quantum graph is not in index order: position ${i} holds quantum ${q.index}`, { hint: 'rewrite the graph with qg build' });
    labelOfQuantum[i] = add(q.taskLabel);
  });
  const quantaByLabel: number[][] = labels.map(() => []);
  const edges = new Set<number>();
  const children: number[][] = labels.map(() => []);
  const n = labels.length;
  graph.quanta.forEach((q, i) => {
    const child = labelOfQuantum[i]!;
    quantaByLabel[child]!.push(i);
    for (const u of q.upstream) {
      const parent = labelOfQuantum[u]!;
      const key = parent * n + child;
      if (parent !== child && !edges.has(key)) {
        edges.add(key);
        children[parent]!.push(child);
      }
    }
  });
  return { labels, children, quantaByLabel, labelOfQuantum };
}

/**
 * Orders the cluster definitions and the unclustered tasks so that every unit comes after
 * the units it depends on. A task named by two definitions, or definitions that depend on
 * each other, are errors naming the clusters (and, for a cycle, the task edges behind it).
 */
export function planClusterLabels(definitions: readonly ClusterDefinition[], tasks: TaskGraph): LabelPlan[] {
  const present = new Set(tasks.labels);
  const owner = new Map<string, ClusterDefinition>();
  for (const def of definitions) {
    for (const task of def.pipetasks) {
      const other = owner.get(task);
      if (other !== undefined && other !== def) {
        throw new ClusterError(`task '${task}' is in cluster '${other.label}' and in cluster '${def.label}'; a task can be in one cluster only`, {
          key: `cluster.${def.label}.pipetasks`,
          ...(def.file ? { file: def.file } : {}),
          clusterLabel: def.label,
          hint: `remove '${task}' from the pipetasks of one of the two clusters`,
        });
      }
      owner.set(task, def);
    }
  }
  const units: { label: string; definition: ClusterDefinition | undefined; tasks: number[] }[] = [];
  const unitOfLabel = new Int32Array(tasks.labels.length).fill(-1);
  for (const def of definitions) {
    const members = def.pipetasks.filter((t) => present.has(t)).map((t) => tasks.labels.indexOf(t));
    if (members.length === 0) continue;
    if (present.has(def.label) && owner.get(def.label) !== def) {
      throw new ClusterError(`cluster label '${def.label}' is also the label of a task outside that cluster`, { key: `cluster.${def.label}`, clusterLabel: def.label, hint: 'rename the cluster' });
    }
    for (const m of members) unitOfLabel[m] = units.length;
    units.push({ label: def.label, definition: def, tasks: members });
  }
  tasks.labels.forEach((label, i) => {
    if (unitOfLabel[i] !== -1) return;
    unitOfLabel[i] = units.length;
    units.push({ label, definition: undefined, tasks: [i] });
  });

  const unitChildren: number[][] = units.map(() => []);
  const via = new Map<number, string>();
  tasks.children.forEach((kids, parent) => {
    for (const child of kids) {
      const a = unitOfLabel[parent]!;
      const b = unitOfLabel[child]!;
      if (a === b || via.has(a * units.length + b)) continue;
      via.set(a * units.length + b, `${tasks.labels[parent]} -> ${tasks.labels[child]}`);
      unitChildren[a]!.push(b);
    }
  });
  const sorted = sortTopologically(units.length, unitChildren);
  if ('cycle' in sorted) {
    const names = sorted.cycle.map((u) => `'${units[u]!.label}'`).join(' -> ');
    const edges = sorted.cycle.slice(1).map((u, k) => via.get(sorted.cycle[k]! * units.length + u)).join(', ');
    const def = units[sorted.cycle[0]!]!.definition;
    throw new ClusterError(`clusters depend on each other: ${names} (through tasks ${edges})`, {
      ...(def ? { key: `cluster.${def.label}.pipetasks`, clusterLabel: def.label, ...(def.file ? { file: def.file } : {}) } : {}),
      hint: 'add the task in between to one of these clusters, or move a task out of one',
    });
  }
  return sorted.order.map((u) => {
    const unit = units[u]!;
    return { label: unit.label, definition: unit.definition, tasks: orderTasks(unit.tasks, tasks).map((t) => tasks.labels[t]!) };
  });
}

function orderTasks(members: readonly number[], tasks: TaskGraph): number[] {
  const local = new Map(members.map((m, i) => [m, i]));
  const children = members.map((m) => tasks.children[m]!.filter((c) => local.has(c)).map((c) => local.get(c)!));
  const sorted = sortTopologically(members.length, children);
  return 'order' in sorted ? sorted.order.map((i) => members[i]!) : [...members];
}
