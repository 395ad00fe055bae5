import { flattenConfig, formatPipelineYaml } from '../../pipeline/index.js';
import type { ExpandedPipeline, PipelineGraph, TaskCatalog } from '../../pipeline/index.js';
import { formatTable } from '../../util/index.js';

/** The `--show` views of `qg pipeline`. */
export const ShowKind = ['pipeline', 'tasks', 'subsets', 'config', 'dump-config', 'inputs', 'pipeline-graph'] as const;
export type ShowKind = (typeof ShowKind)[number];

/** One parsed `--show` item (`config=PATTERN` carries its pattern). */
export interface ShowItem {
  kind: ShowKind;
  argument: string | undefined;
}

/** Parses a `--show` value; `undefined` when the view is unknown. */
export function parseShowItem(text: string): ShowItem | undefined {
  const eq = text.indexOf('=');
  const kind = (eq < 0 ? text : text.slice(0, eq)) as ShowKind;
  if (!ShowKind.includes(kind)) return undefined;
  return { kind, argument: eq < 0 ? undefined : text.slice(eq + 1) };
}

/** True when a view needs the pipeline graph (task connections). */
export function needsGraph(item: ShowItem): boolean {
  return item.kind === 'inputs' || item.kind === 'pipeline-graph';
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

function showConfig(p: ExpandedPipeline, argument: string | undefined, all: boolean): string {
  const [labelPart, keyPart] = argument?.includes('::') ? (argument.split('::', 2) as [string, string]) : [undefined, argument];
  const keyPattern = all || keyPart === undefined || keyPart === '' ? undefined : globToRegExp(keyPart);
  const labelFilter = all ? argument : labelPart;
  const lines: string[] = [];
  for (const task of p.tasks) {
    if (labelFilter !== undefined && labelFilter !== '' && task.label !== labelFilter) continue;
    const entries = flattenConfig(task.config).filter(([key]) => keyPattern === undefined || keyPattern.test(key) || keyPattern.test(key.split('.').pop() ?? ''));
    if (entries.length === 0) continue;
    lines.push(`### ${task.label} (${task.taskClass})${task.inCatalog ? '' : '  [class not in catalog: only pipeline overrides known]'}`);
    for (const [key, value] of entries) lines.push(`${task.label}.${key}: ${JSON.stringify(value)}`);
  }
  return lines.length > 0 ? lines.join('\n') : `no config values match '${argument ?? ''}'`;
}

function showInputs(graph: PipelineGraph): string {
  const rows = [
    ...graph.overallInputs.map((n) => [n, 'input', graph.datasetTypes.get(n)]),
    ...graph.prerequisiteInputs.map((n) => [n, 'prerequisite', graph.datasetTypes.get(n)]),
  ] as Array<[string, string, PipelineGraph['datasetTypes'] extends Map<string, infer D> ? D | undefined : never]>;
  return formatTable(
    ['dataset type', 'kind', 'dimensions', 'storage class', 'read by'],
    rows.map(([name, kind, d]) => [name, kind, d?.dimensions.join(',') ?? '', d?.storageClass ?? '', [...(d?.consumers ?? []), ...(d?.prerequisiteOf ?? [])].join(',')]),
  );
}

function showGraph(graph: PipelineGraph): string {
  const lines: string[] = [];
  for (const task of graph.tasks) {
    const dims = task.inCatalog ? `(${task.dimensions.join(', ')})` : '[class not in catalog]';
    lines.push(`${task.label}  ${task.taskClass}  ${dims}${task.step === undefined ? '' : `  step=${task.step}`}`);
    for (const c of task.connections) {
      if (c.automatic) continue;
      const arrow = c.kind === 'output' || c.kind === 'initOutput' ? '  ->' : '  <-';
      const flags = [c.kind, c.multiple ? 'multiple' : '', c.isCalibration ? 'calibration' : '', c.minimum === 0 ? 'optional' : ''].filter((f) => f !== '').join(' ');
      lines.push(`${arrow} ${c.datasetType} (${c.dimensions.join(', ')}) ${c.storageClass} [${flags}]`);
    }
  }
  return lines.join('\n');
}

/** Renders one `--show` view as text. */
export function formatShowItem(item: ShowItem, p: ExpandedPipeline, graph: PipelineGraph | undefined, catalog: TaskCatalog): string {
  switch (item.kind) {
    case 'pipeline':
      return formatPipelineYaml(p.document).trimEnd();
    case 'tasks':
      return formatTable(['label', 'class', 'dimensions', 'catalog'], p.tasks.map((t) => [t.label, t.taskClass, catalog.get(t.taskClass)?.dimensions.join(',') ?? '', t.inCatalog ? 'yes' : 'missing']));
    case 'subsets': {
      const steps = new Map(p.steps.map((s) => [s.label, s]));
      return formatTable(['subset', 'step dims', 'tasks'], p.subsets.map((s) => [s.label, steps.has(s.label) ? `[${steps.get(s.label)?.dimensions.join(',')}]` : '', [...s.tasks].join(',')]));
    }
    case 'config':
      return showConfig(p, item.argument, false);
    case 'dump-config':
      return showConfig(p, item.argument, true);
    case 'inputs':
      return graph === undefined ? '' : showInputs(graph);
    case 'pipeline-graph':
      return graph === undefined ? '' : showGraph(graph);
  }
}
