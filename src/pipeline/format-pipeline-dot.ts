import type { PipelineGraph } from './pipeline-graph-types.js';

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Renders a pipeline graph in Graphviz DOT: tasks as boxes (grey and marked when their class
 * is not in the catalog), dataset types as ellipses (init datasets dashed, prerequisites
 * dashed edges), edges from inputs to tasks and from tasks to outputs.
 */
export function formatPipelineDot(graph: PipelineGraph, options: { automatic?: boolean } = {}): string {
  const showAutomatic = options.automatic === true;
  const lines = ['digraph pipeline {', '  rankdir=TB;', '  node [fontname="Helvetica", fontsize=10];', '  edge [fontname="Helvetica", fontsize=8];'];
  const used = new Set<string>();
  for (const task of graph.tasks) {
    const dims = task.dimensions.length > 0 ? `\\n(${task.dimensions.join(', ')})` : '';
    const missing = task.inCatalog ? '' : '\\n[class not in catalog]';
    const style = task.inCatalog ? 'style=filled, fillcolor="#dde7f7"' : 'style="filled,dashed", fillcolor="#eeeeee"';
    lines.push(`  ${quote(`task:${task.label}`)} [shape=box, ${style}, label=${quote(`${task.label}${dims}${missing}`).replace(/\\\\n/g, '\\n')}];`);
    for (const c of task.connections) {
      if (c.automatic && !showAutomatic) continue;
      used.add(c.datasetType);
      const d = quote(`ds:${c.datasetType}`);
      const t = quote(`task:${task.label}`);
      if (c.kind === 'output' || c.kind === 'initOutput') lines.push(`  ${t} -> ${d}${c.kind === 'initOutput' ? ' [style=dashed]' : ''};`);
      else lines.push(`  ${d} -> ${t}${c.kind === 'prerequisiteInput' ? ' [style=dashed, label="prereq"]' : c.kind === 'initInput' ? ' [style=dashed]' : ''};`);
    }
  }
  for (const name of [...used].sort()) {
    const node = graph.datasetTypes.get(name);
    if (node === undefined) continue;
    const dims = node.dimensions.length > 0 ? `\\n(${node.dimensions.join(', ')})` : '';
    const style = node.isInit ? 'style=dashed' : node.prerequisiteOf.length > 0 ? 'style=filled, fillcolor="#fff3c4"' : 'style=solid';
    lines.push(`  ${quote(`ds:${name}`)} [shape=ellipse, ${style}, label=${quote(`${name}${dims}\\n${node.storageClass}`).replace(/\\\\n/g, '\\n')}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
