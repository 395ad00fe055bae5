import { searchString, type BpsConfig } from '../config/index.js';
import type { QuantumGraph } from '../graph/index.js';
import { ClusterError } from './cluster-error.js';
import type { ClusterAlgorithm, ClusterCounts, ClusteredQuantumGraph, JobResources, QuantaCluster } from './cluster-types.js';
import { groupByDimension, type DraftCluster } from './group-by-dimension.js';
import { groupSingleQuanta } from './group-single-quanta.js';
import { finishResources, readResourceSettings, readSectionResources, ResourceAccumulator, type ResourceSettings } from './job-resources.js';
import { describeTaskGraph, planClusterLabels, type LabelPlan } from './plan-cluster-labels.js';
import { readClusterDefinitions } from './read-cluster-definitions.js';
import { sortTopologically } from './sort-topologically.js';

/** Options of {@link clusterQuantumGraph}. */
export interface ClusterQuantumGraphOptions {
  readonly graph: QuantumGraph;
  readonly config: BpsConfig;
  /** Name of the clustered graph (default: the output run with `_` for `/`, i.e. `uniqProcName`). */
  readonly name?: string;
}

/** What the cluster stage produces. */
export interface ClusterQuantumGraphResult {
  readonly clustered: ClusteredQuantumGraph;
  readonly counts: ClusterCounts;
}

/** Reads `clusterAlgorithm`: `auto` (dimension clustering when cluster sections exist), or a reference name. */
export function readClusterAlgorithm(config: BpsConfig): ClusterAlgorithm {
  const value = searchString(config, 'clusterAlgorithm') ?? 'auto';
  if (value === 'auto') return config.sectionNames('cluster').length > 0 ? 'dimension' : 'single';
  if (/(^|\.)(single_quantum_clustering|single)$/.test(value)) return 'single';
  if (/(^|\.)(dimension_clustering|dimension)$/.test(value)) return 'dimension';
  const hit = config.searchHit('clusterAlgorithm');
  throw new ClusterError(`unknown clusterAlgorithm '${value}'${hit?.file ? ` (${hit.file})` : ''}`, {
    key: 'clusterAlgorithm',
    ...(hit?.file ? { file: hit.file } : {}),
    hint: 'use auto, single_quantum_clustering or dimension_clustering (the lsst.ctrl.bps.quantum_clustering_funcs.* names work too)',
  });
}

/**
 * Groups the quanta of a graph into clusters (jobs): one per quantum, or by the
 * `cluster.<label>` definitions with tasks they do not name left one per quantum. Each
 * cluster gets its resources from the config (cluster section first, else the maximum over
 * its tasks, walltimes summed) and its parents from the quanta's upstream links. Pure.
 */
export function clusterQuantumGraph(options: ClusterQuantumGraphOptions): ClusterQuantumGraphResult {
  const { graph, config } = options;
  const algorithm = readClusterAlgorithm(config);
  const tasks = describeTaskGraph(graph);
  const plans = planClusterLabels(algorithm === 'dimension' ? readClusterDefinitions(config) : [], tasks);
  const labelIndex = new Map(tasks.labels.map((l, i) => [l, i]));

  const drafts: { draft: DraftCluster; resources: JobResources }[] = [];
  for (const plan of plans) {
    if (plan.definition !== undefined) {
      const settings = readSectionResources(config, `cluster.${plan.label}`);
      const perTask = new Map(plan.tasks.map((t) => [t, readResourceSettings(config, { curvals: { curr_pipetask: t, curr_cluster: plan.label } })]));
      for (const draft of groupByDimension(plan as LabelPlan & { definition: NonNullable<LabelPlan['definition']> }, graph, tasks)) {
        drafts.push({ draft, resources: aggregate(draft, graph, perTask, settings) });
      }
    } else {
      const resources = finishResources(readResourceSettings(config, { curvals: { curr_pipetask: plan.label, curr_cluster: plan.label } }));
      const quanta = tasks.quantaByLabel[labelIndex.get(plan.label)!]!;
      for (const draft of groupSingleQuanta({ config, graph, label: plan.label, quanta })) drafts.push({ draft, resources });
    }
  }
  const clusters = linkClusters(drafts, graph);
  const clustersByLabel: Record<string, number> = {};
  for (const c of clusters) clustersByLabel[c.label] = (clustersByLabel[c.label] ?? 0) + 1;
  const name = options.name ?? graph.header.outputRun.replaceAll('/', '_');
  return {
    clustered: { name, algorithm, clusters },
    counts: { quanta: graph.quanta.length, clusters: clusters.length, dependencies: clusters.reduce((n, c) => n + c.parents.length, 0), clustersByLabel },
  };
}

function aggregate(draft: DraftCluster, graph: QuantumGraph, perTask: ReadonlyMap<string, ResourceSettings>, own: ResourceSettings): JobResources {
  const counts = new Map<string, number>();
  for (const q of draft.quanta) {
    const label = graph.quanta[q]!.taskLabel;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const acc = new ResourceAccumulator(draft.name);
  for (const [label, n] of counts) acc.add(perTask.get(label)!, n, `task '${label}'`);
  return finishResources(acc.settings(own));
}

/** Attaches parents, checks names are unique and the cluster graph acyclic, orders parents first. */
function linkClusters(drafts: readonly { draft: DraftCluster; resources: JobResources }[], graph: QuantumGraph): QuantaCluster[] {
  const clusterOf = new Int32Array(graph.quanta.length).fill(-1);
  const names = new Map<string, number>();
  drafts.forEach(({ draft }, c) => {
    const other = names.get(draft.name);
    if (other !== undefined) {
      throw new ClusterError(`two clusters are named '${draft.name}' (labels '${drafts[other]!.draft.label}' and '${draft.label}')`, { hint: 'rename one cluster label or change its clusterTemplate' });
    }
    names.set(draft.name, c);
    for (const q of draft.quanta) clusterOf[q] = c;
  });
  const stamp = new Int32Array(drafts.length).fill(-1);
  const parents: number[][] = drafts.map(({ draft }, c) => {
    const list: number[] = [];
    stamp[c] = c;
    for (const q of draft.quanta) {
      for (const u of graph.quanta[q]!.upstream) {
        const p = clusterOf[u]!;
        if (stamp[p] !== c) {
          stamp[p] = c;
          list.push(p);
        }
      }
    }
    return list;
  });
  const children: number[][] = drafts.map(() => []);
  parents.forEach((list, c) => list.forEach((p) => children[p]!.push(c)));
  const sorted = sortTopologically(drafts.length, children);
  if ('cycle' in sorted) {
    throw new ClusterError(`clusters depend on each other: ${sorted.cycle.map((c) => `'${drafts[c]!.draft.name}'`).join(' -> ')}`, {
      hint: 'quanta of one cluster need outputs of a cluster that needs theirs: change the dimensions or findDependencyMethod of the cluster definition',
    });
  }
  const position = new Int32Array(drafts.length);
  sorted.order.forEach((c, i) => (position[c] = i));
  return sorted.order.map((c) => {
    const { draft, resources } = drafts[c]!;
    const quanta = draft.quanta.length === 1 ? draft.quanta : draft.quanta.sort((a, b) => a - b);
    const quantaCounts: Record<string, number> = {};
    for (const q of quanta) {
      const label = graph.quanta[q]!.taskLabel;
      quantaCounts[label] = (quantaCounts[label] ?? 0) + 1;
    }
    const own = parents[c]!;
    const linked = own.length === 0 ? own : own.map((p) => position[p]!).sort((a, b) => a - b);
    return { name: draft.name, label: draft.label, tags: draft.tags, quanta, quantaCounts, resources, parents: linked };
  });
}
