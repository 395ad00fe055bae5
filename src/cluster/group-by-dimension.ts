import type { QuantumGraph } from '../graph/index.js';
import { ClusterError } from './cluster-error.js';
import type { TagValue } from './cluster-types.js';
import { compileClusterName } from './format-cluster-name.js';
import { assignPartitions } from './partition-values.js';
import type { LabelPlan, TaskGraph } from './plan-cluster-labels.js';
import type { ClusterDefinition } from './read-cluster-definitions.js';

/** A cluster before resources and dependencies are attached. */
export interface DraftCluster {
  readonly name: string;
  readonly label: string;
  readonly tags: Readonly<Record<string, TagValue>>;
  readonly quanta: number[];
}

interface Group {
  readonly tags: Record<string, TagValue>;
  readonly quanta: number[];
  /** Partition key of each quantum (parallel to `quanta`), when partitioning. */
  readonly partitionKeys: string[];
}

/**
 * Groups the quanta of one cluster definition by the values of its `dimensions` (with
 * `equalDimensions` standing in for missing ones), then splits the groups by partition. With
 * `findDependencyMethod`, quanta reached from a source (or sink) quantum through the graph
 * join that quantum's cluster.
 */
export function groupByDimension(plan: LabelPlan & { definition: ClusterDefinition }, graph: QuantumGraph, tasks: TaskGraph): DraftCluster[] {
  const def = plan.definition;
  const template = def.clusterTemplate ?? (def.dimensions.length > 0 ? `${def.label}_${def.dimensions.map((d) => `{${d}}`).join('_')}` : def.label);
  const formatName = compileClusterName(template);
  const groups = new Map<string, Group>();
  const partitionValues = new Map<string, TagValue[]>();
  const partitioned = def.partitionDimensions.length > 0;

  const valueOf = (q: number, dim: string): TagValue => {
    const dataId = graph.quanta[q]!.dataId;
    let v = dataId[dim];
    for (const [a, b] of def.equalDimensions) {
      if (v !== undefined) break;
      if (a === dim) v = dataId[b];
      else if (b === dim) v = dataId[a];
    }
    if (v === undefined) {
      const quantum = graph.quanta[q]!;
      throw new ClusterError(
        `quantum ${q} of task '${quantum.taskLabel}' (data ID ${JSON.stringify(quantum.dataId)}) has no '${dim}' value, which cluster '${def.label}' needs`,
        { key: `cluster.${def.label}.dimensions`, clusterLabel: def.label, ...(def.file ? { file: def.file } : {}), hint: `add equalDimensions (e.g. visit:exposure) naming a dimension the task has, or take '${quantum.taskLabel}' out of the cluster` },
      );
    }
    return v;
  };

  const start = (q: number): Group => {
    const tags: Record<string, TagValue> = {};
    for (const d of def.dimensions) tags[d] = valueOf(q, d);
    const key = def.dimensions.map((d) => `${typeof tags[d]}:${tags[d]}`).join('\u001f');
    let group = groups.get(key);
    if (group === undefined) {
      group = { tags, quanta: [], partitionKeys: [] };
      groups.set(key, group);
    }
    return group;
  };
  const add = (group: Group, q: number, partitionFrom: number): void => {
    group.quanta.push(q);
    if (!partitioned) return;
    const values = def.partitionDimensions.map((d) => valueOf(partitionFrom, d));
    const key = values.map((v) => `${typeof v}:${v}`).join('==');
    if (!partitionValues.has(key)) partitionValues.set(key, values);
    group.partitionKeys.push(key);
  };

  const labelIndex = new Map(tasks.labels.map((l, i) => [l, i]));
  const order = plan.tasks.map((t) => labelIndex.get(t)!);
  if (def.findDependencyMethod === undefined) {
    for (const label of order) for (const q of tasks.quantaByLabel[label]!) add(start(q), q, q);
  } else {
    const members = new Set(order);
    const downstream = def.findDependencyMethod === 'source' ? listDownstream(graph) : undefined;
    const visited = new Uint8Array(graph.quanta.length);
    for (const label of def.findDependencyMethod === 'sink' ? [...order].reverse() : order) {
      for (const q of tasks.quantaByLabel[label]!) {
        if (visited[q]) continue;
        visited[q] = 1;
        const group = start(q);
        add(group, q, q);
        const stack = [q];
        while (stack.length > 0) {
          const node = stack.pop()!;
          for (const next of downstream ? downstream[node]! : graph.quanta[node]!.upstream) {
            if (visited[next]) continue;
            visited[next] = 1;
            if (!members.has(tasks.labelOfQuantum[next]!)) continue;
            add(group, next, q);
            stack.push(next);
          }
        }
      }
    }
  }
  return splitGroups(def, [...groups.values()], partitionValues, formatName);
}

function splitGroups(def: ClusterDefinition, groups: readonly Group[], partitionValues: Map<string, TagValue[]>, formatName: (lookup: (field: string) => TagValue | undefined) => string): DraftCluster[] {
  const out: DraftCluster[] = [];
  const byName = new Map<string, Group>();
  const partitionOf = partitionValues.size > 0 ? assignPartitions(def, partitionValues, groups.length) : undefined;
  for (const group of groups) {
    const base = formatName((field) => (field === 'label' ? def.label : group.tags[field]));
    const other = byName.get(base);
    if (other !== undefined) {
      throw new ClusterError(`clusterTemplate of cluster '${def.label}' gives the same name '${base}' to clusters ${JSON.stringify(other.tags)} and ${JSON.stringify(group.tags)}`, {
        key: `cluster.${def.label}.clusterTemplate`, clusterLabel: def.label, ...(def.file ? { file: def.file } : {}),
        hint: `put every clustering dimension in clusterTemplate, e.g. ${def.label}_${def.dimensions.map((d) => `{${d}}`).join('_')}`,
      });
    }
    byName.set(base, group);
    if (partitionOf === undefined) {
      out.push({ name: base, label: def.label, tags: group.tags, quanta: group.quanta });
      continue;
    }
    const parts = new Map<number, number[]>();
    group.quanta.forEach((q, i) => {
      const id = partitionOf.get(group.partitionKeys[i]!)!;
      let list = parts.get(id);
      if (list === undefined) parts.set(id, (list = []));
      list.push(q);
    });
    for (const id of [...parts.keys()].sort((a, b) => a - b)) {
      out.push({ name: `${base}_${String(id).padStart(3, '0')}`, label: def.label, tags: group.tags, quanta: parts.get(id)! });
    }
  }
  return out;
}

function listDownstream(graph: QuantumGraph): number[][] {
  const down: number[][] = graph.quanta.map(() => []);
  graph.quanta.forEach((q, i) => {
    for (const u of q.upstream) down[u]!.push(i);
  });
  return down;
}
