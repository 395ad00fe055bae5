import { searchBoolean, type BpsConfig } from '../config/index.js';
import type { QuantumGraph } from '../graph/index.js';
import { ClusterError } from './cluster-error.js';
import { compileClusterName } from './format-cluster-name.js';
import type { DraftCluster } from './group-by-dimension.js';
import type { TagValue } from './cluster-types.js';

/**
 * One cluster per quantum of a task. Names follow the reference: `{node_number}_{label}_` +
 * `templateDataId` (node number = quantum index; without it when `useNodeIdInClusterName` is
 * false), or `{node_number}` when no `templateDataId` is set. Names and tags use the task's
 * dimensions when the graph lists them, else the whole data ID.
 */
export function groupSingleQuanta(options: { config: BpsConfig; graph: QuantumGraph; label: string; quanta: readonly number[] }): DraftCluster[] {
  const { config, graph, label } = options;
  const opts = { curvals: { curr_pipetask: label }, replaceVars: false, expandEnvVars: false } as const;
  const dataTemplate = config.search('templateDataId', opts);
  let template = '{node_number}';
  if (typeof dataTemplate === 'string' && dataTemplate !== '') {
    template = `{label}_${dataTemplate}`;
    if (searchBoolean(config, 'useNodeIdInClusterName', opts) ?? true) template = `{node_number}_${template}`;
  }
  const formatName = compileClusterName(template);
  const seen = new Map<string, number>();
  // Like the reference (required dimensions only): implied values such as a physical_filter
  // full of blanks stay out of job names and log paths.
  const dimensions = graph.header.tasks.find((t) => t.label === label)?.dimensions ?? [];
  return options.quanta.map((q) => {
    const quantum = graph.quanta[q]!;
    const dataId = dimensions.length === 0 ? quantum.dataId : pick(quantum.dataId, dimensions);
    const name = formatName((field) => (field === 'label' ? label : field === 'node_number' ? q : dataId[field]));
    const other = seen.get(name);
    if (other !== undefined) {
      throw new ClusterError(`quanta ${other} and ${q} of task '${label}' get the same job name '${name}' from template '${template}'`, {
        key: 'templateDataId',
        hint: 'set useNodeIdInClusterName: true, or add the missing dimensions to templateDataId',
      });
    }
    seen.set(name, q);
    return { name, label, tags: dataId, quanta: [q] };
  });
}

function pick(dataId: Readonly<Record<string, TagValue>>, keys: readonly string[]): Record<string, TagValue> {
  const out: Record<string, TagValue> = {};
  for (const k of keys) {
    const v = dataId[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}
