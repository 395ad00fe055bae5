import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../../errors/index.js';
import {
  formatPipelineDot,
  formatPipelineYaml,
  loadPipeline,
  loadTaskCatalog,
  resolvePipelineGraph,
  summarizeOpaqueConfig,
} from '../../pipeline/index.js';
import type { ExpandedPipeline, PipelineGraph } from '../../pipeline/index.js';
import { createLogger } from '../../util/index.js';
import { collect, printResult } from '../run-cli.js';
import { formatShowItem, needsGraph, parseShowItem, ShowKind } from './pipeline-show.js';
import type { ShowItem } from './pipeline-show.js';

interface PipelineCommandOptions {
  pipeline: string;
  config?: string[];
  configFile?: string[];
  instrument?: string;
  show?: string[];
  pipelineDot?: string;
  savePipeline?: string;
  catalog?: string[];
  json?: boolean;
}

function summaryOf(p: ExpandedPipeline): Record<string, unknown> {
  return {
    pipeline: p.source,
    fragment: p.fragment ?? null,
    instrument: p.instrument ?? null,
    tasks: p.tasks.length,
    subsets: p.subsets.length,
    steps: p.steps.length,
    contracts: p.contracts.length,
    contractsSatisfied: p.contractSummary.satisfied,
    contractsUnverified: p.contractSummary.unverified,
  };
}

function runPipelineCommand(opts: PipelineCommandOptions): void {
  const started = Date.now();
  const log = createLogger();
  const items: ShowItem[] = (opts.show ?? []).map((text) => {
    const item = parseShowItem(text);
    if (item === undefined) throw new UsageError(`unknown --show value '${text}'`, { hint: `use one of: ${ShowKind.join(', ')} (config=[label::]PATTERN, dump-config[=label])` });
    return item;
  });
  const catalog = loadTaskCatalog({ files: opts.catalog ?? [] });
  const expanded = loadPipeline({
    uri: opts.pipeline,
    env: process.env,
    catalog,
    overrides: { config: opts.config ?? [], configFiles: opts.configFile ?? [], instrument: opts.instrument },
  });
  const opaque = summarizeOpaqueConfig(expanded.notes);
  if (opaque !== undefined) log.info({ note: 'opaque-config' }, opaque);
  for (const note of expanded.notes) {
    if (note.kind !== 'opaque-python' && note.kind !== 'opaque-file') log.warn({ note: note.kind, label: note.label, file: note.file }, note.message);
  }
  let graph: PipelineGraph | undefined;
  if (items.some(needsGraph) || opts.pipelineDot !== undefined || opts.json === true) {
    graph = resolvePipelineGraph(expanded, catalog, { allowMissingClasses: true });
    if (graph.missingTaskClasses.length > 0) {
      const classes = [...new Set(graph.missingTaskClasses.map((m) => m.taskClass))];
      log.warn({ note: 'missing-task-classes', classes }, `${classes.length} task class(es) are not in the task catalog; their connections are unknown: ${classes.join(', ')}`);
    }
  }
  if (opts.savePipeline !== undefined) writeFileSync(opts.savePipeline, formatPipelineYaml(expanded.document));
  if (opts.pipelineDot !== undefined && graph !== undefined) writeFileSync(opts.pipelineDot, formatPipelineDot(graph));
  const summary = summaryOf(expanded);
  const json = {
    ...summary,
    taskLabels: expanded.tasks.map((t) => t.label),
    missingTaskClasses: graph?.missingTaskClasses ?? [],
    overallInputs: graph?.overallInputs ?? [],
    prerequisiteInputs: graph?.prerequisiteInputs ?? [],
    notes: expanded.notes,
  };
  printResult(opts.json === true, json, () => {
    if (items.length === 0) {
      return `${expanded.source}${expanded.fragment ? `#${expanded.fragment}` : ''}: ${expanded.tasks.length} tasks, ${expanded.subsets.length} subsets, ${expanded.steps.length} steps, ${expanded.contracts.length} contracts (${expanded.contractSummary.satisfied} satisfied, ${expanded.contractSummary.unverified} not checkable)`;
    }
    return items.map((item) => formatShowItem(item, expanded, graph, catalog)).join('\n\n');
  });
  log.info({ stage: 'pipeline', durationMs: Date.now() - started, ...summary, missingClasses: graph?.missingTaskClasses.length ?? null }, 'pipeline expanded');
}

/** Registers `qg pipeline`: expand, validate and print a pipeline. */
export function addPipelineCommand(program: Command): void {
  program
    .command('pipeline')
    .description('expand a pipeline (imports, fragment, overrides), check its contracts and print it')
    .requiredOption('-p, --pipeline <uri>', 'pipeline YAML, optionally with #labels, #a,b or #a..b')
    .option('-c, --config <label:key=value>', 'config override (repeatable); parameters:name=value sets a parameter', collect)
    .option('-C, --config-file <label:file>', 'config override file (repeatable); YAML files are applied, Python files kept opaque', collect)
    .option('--instrument <class>', 'replace the pipeline instrument')
    .option('--show <item>', `what to print (repeatable): ${ShowKind.join(', ')}; config=[label::]PATTERN, dump-config[=label]`, collect)
    .option('--pipeline-dot <file>', 'write the pipeline graph as Graphviz DOT')
    .option('-s, --save-pipeline <file>', 'write the expanded pipeline YAML (loads again to the same pipeline)')
    .option('--catalog <file>', 'extra task catalog YAML (repeatable; its entries win)', collect)
    .option('--json', 'print a JSON summary')
    .action((opts: PipelineCommandOptions) => runPipelineCommand(opts));
}
