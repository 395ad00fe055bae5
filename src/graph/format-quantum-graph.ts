import { formatDataId } from '../registry/index.js';
import { formatTable } from '../util/index.js';
import type { GraphDatasetRef, Quantum, QuantumGraph, QuantumGraphHeader } from './quantum-graph-types.js';

/** Things `qg build --show` and `qg show --show` can print. */
export const GraphShowKind = ['graph', 'workflow', 'tasks', 'uri'] as const;
export type GraphShowKind = (typeof GraphShowKind)[number];

/** The reference's summary table: quanta per task. */
export function formatQuantaSummary(tasks: readonly { readonly label: string; readonly quanta: number }[]): string {
  return formatTable(['Task', 'Quanta'], tasks.map((t) => [t.label, t.quanta]));
}

/** One line per task: label, class, dimensions, quanta. */
export function formatGraphTasks(header: QuantumGraphHeader): string {
  return formatTable(['Task', 'Class', 'Dimensions', 'Quanta'], header.tasks.map((t) => [t.label, t.taskClass, t.dimensions.join(', '), t.quanta]));
}

const refText = (r: GraphDatasetRef): string => `${r.datasetType}@${formatDataId(r.dataId)} [run=${r.run} id=${r.id}]`;

function quantumTitle(q: Quantum): string {
  return `Quantum ${q.index} ${q.id}: ${q.taskLabel} ${formatDataId(q.dataId)}`;
}

/** Every quantum with its inputs, prerequisites and outputs (`--show graph`). */
export function formatGraphQuanta(quanta: Iterable<Quantum>): string {
  const lines: string[] = [];
  for (const q of quanta) {
    lines.push(quantumTitle(q));
    for (const [kind, group] of [['input', q.inputs], ['prerequisite', q.prerequisites], ['output', q.outputs]] as const) {
      for (const [conn, refs] of Object.entries(group)) for (const r of refs) lines.push(`  ${kind} ${conn}: ${refText(r)}`);
    }
  }
  return lines.join('\n');
}

/** Every quantum and the quanta it waits for (`--show workflow`). */
export function formatGraphWorkflow(quanta: Iterable<Quantum>): string {
  const lines: string[] = [];
  const ids: string[] = [];
  for (const q of quanta) {
    ids[q.index] = q.id;
    lines.push(quantumTitle(q));
    for (const up of q.upstream) lines.push(`  parent quantum ${up} ${ids[up] ?? ''}`.trimEnd());
  }
  return lines.join('\n');
}

/** Every dataset of the graph with the path it has or will have (`--show uri`). */
export function formatGraphUris(graph: QuantumGraph): string {
  const seen = new Set<string>();
  const rows: string[][] = [];
  const add = (r: GraphDatasetRef): void => {
    if (seen.has(r.id)) return;
    seen.add(r.id);
    rows.push([r.datasetType, formatDataId(r.dataId), r.run, r.path ?? '']);
  };
  for (const r of graph.header.globalInitOutputs) add(r);
  for (const t of graph.header.tasks) for (const r of [...Object.values(t.initInputs), ...Object.values(t.initOutputs)]) add(r);
  for (const q of graph.quanta) for (const group of [q.inputs, q.prerequisites, q.outputs]) for (const refs of Object.values(group)) refs.forEach(add);
  return formatTable(['Dataset type', 'Data ID', 'Run', 'Path'], rows);
}

/** The graph as Graphviz DOT: quanta as boxes, datasets as ellipses. */
export function formatQuantumGraphDot(graph: QuantumGraph): string {
  const lines = ['digraph QuantumGraph {', '  rankdir=LR;', '  node [fontsize=10];'];
  const datasets = new Set<string>();
  const quote = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const dataset = (r: GraphDatasetRef): string => {
    const id = `d_${r.id}`;
    if (!datasets.has(id)) {
      datasets.add(id);
      lines.push(`  ${quote(id)} [shape=ellipse, label=${quote(`${r.datasetType}\n${formatDataId(r.dataId)}`)}];`);
    }
    return quote(id);
  };
  for (const q of graph.quanta) {
    const qid = quote(`q_${q.id}`);
    lines.push(`  ${qid} [shape=box, style=filled, fillcolor=lightblue, label=${quote(`${q.taskLabel}\n${formatDataId(q.dataId)}`)}];`);
    for (const group of [q.inputs, q.prerequisites]) for (const refs of Object.values(group)) for (const r of refs) lines.push(`  ${dataset(r)} -> ${qid};`);
    for (const refs of Object.values(q.outputs)) for (const r of refs) lines.push(`  ${qid} -> ${dataset(r)};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
