import path from 'node:path';
import { applyPipelineOverrides } from './apply-overrides.js';
import type { PipelineOverrides } from './apply-overrides.js';
import { checkContracts } from './check-contracts.js';
import type { ConfigObject } from './config-values.js';
import type { ExpandedPipeline, ExpandedTask } from './expanded-pipeline.js';
import { parsePipelineUri } from './label-specifier.js';
import type { LabelSpecifier } from './label-specifier.js';
import { PipelineError } from './pipeline-errors.js';
import type { PipelineNote } from './pipeline-notes.js';
import type { PipelineDocument } from './pipeline-types.js';
import { readPipelineFile } from './read-pipeline-file.js';
import type { PipelineEnv } from './read-pipeline-file.js';
import { resolvePipelineGraph } from './resolve-pipeline-graph.js';
import { resolveTaskConfig } from './resolve-task-config.js';
import { subsetPipeline } from './subset-pipeline.js';
import { TaskCatalog } from './task-catalog.js';
import { selectTasksBetween } from './task-order.js';

/** Options of {@link loadPipeline}. */
export interface LoadPipelineOptions {
  /** `file.yaml` or `file.yaml#fragment` (labels `a,b`, range `a..b`, `..b`, `a..`). */
  uri: string;
  /** Environment for `$VAR` in import locations (the CLI passes `process.env`). */
  env?: PipelineEnv;
  /** Task catalog: config defaults, and connections for `#a..b` ranges. */
  catalog?: TaskCatalog;
  overrides?: PipelineOverrides;
  /** Directory relative URIs are resolved against (default: the process working directory). */
  cwd?: string;
}

/**
 * Resolves configs and checks contracts of a pipeline document. Used by {@link loadPipeline}
 * and to reload saved pipelines.
 */
export function expandPipelineDocument(options: {
  doc: PipelineDocument;
  catalog: TaskCatalog;
  fragment?: string;
  notes?: PipelineNote[];
  checkContracts?: boolean;
}): ExpandedPipeline {
  const { doc, catalog } = options;
  const notes = options.notes ?? [];
  const configs = new Map<string, ConfigObject>();
  const tasks: ExpandedTask[] = [...doc.tasks.values()].map((t) => {
    const entry = catalog.get(t.taskClass);
    const config = resolveTaskConfig({ task: t, entry, parameters: doc.parameters, notes });
    configs.set(t.label, config);
    return { label: t.label, taskClass: t.taskClass, config, blocks: t.config, source: t.source, inCatalog: entry !== undefined };
  });
  const contractSummary = options.checkContracts === false
    ? { satisfied: 0, unverified: 0 }
    : checkContracts({ contracts: doc.contracts, configs, notes });
  return {
    source: doc.source,
    fragment: options.fragment,
    description: doc.description,
    instrument: doc.instrument,
    parameters: doc.parameters,
    tasks,
    subsets: [...doc.subsets.values()],
    steps: doc.steps,
    contracts: doc.contracts,
    contractSummary,
    notes,
    document: doc,
  };
}

function selectRange(doc: PipelineDocument, spec: Extract<LabelSpecifier, { kind: 'range' }>, catalog: TaskCatalog, notes: PipelineNote[]): PipelineDocument {
  for (const [bound, which] of [[spec.begin, 'beginning'], [spec.end, 'end']] as const) {
    if (bound !== undefined && !doc.tasks.has(bound)) {
      throw new PipelineError(`${which} of range subset, '${bound}', not found in pipeline definition '${doc.source}'`, { file: doc.source, label: bound });
    }
  }
  // Contracts are not checked here: the user may only have configured the tasks in the range.
  const full = expandPipelineDocument({ doc: { ...doc, contracts: [] }, catalog, checkContracts: false });
  const graph = resolvePipelineGraph(full, catalog, { allowMissingClasses: true, skipSteps: true });
  if (graph.missingTaskClasses.length > 0) {
    notes.push({
      kind: 'unknown-task-class',
      file: doc.source,
      message: `range ${spec.begin ?? ''}..${spec.end ?? ''} was computed without the connections of ${graph.missingTaskClasses.length} task(s) whose classes are not in the task catalog; they are left out of the range: ${graph.missingTaskClasses.map((m) => m.label).join(', ')}`,
    });
  }
  const labels = selectTasksBetween(graph.tasks.filter((t) => t.inCatalog || t.label === spec.begin || t.label === spec.end), spec.begin, spec.end);
  return subsetPipeline(doc, labels);
}

/**
 * Loads a pipeline the way `pipetask` does: reads the file and its imports, applies the label
 * fragment, then the command-line overrides, resolves every task's config (catalog defaults,
 * pipeline blocks, parameters) and checks the contracts. Classes missing from the catalog do
 * not fail loading; they only lack defaults (a `#a..b` range leaves them out, with a note).
 */
export function loadPipeline(options: LoadPipelineOptions): ExpandedPipeline {
  const catalog = options.catalog ?? new TaskCatalog();
  const { file, specifier, fragment } = parsePipelineUri(options.uri);
  const notes: PipelineNote[] = [];
  let doc = readPipelineFile(path.resolve(options.cwd ?? process.cwd(), file), options.env ?? {});
  if (specifier?.kind === 'labels') doc = subsetPipeline(doc, specifier.labels);
  else if (specifier?.kind === 'range') doc = selectRange(doc, specifier, catalog, notes);
  applyPipelineOverrides(doc, options.overrides ?? {}, catalog);
  return expandPipelineDocument({ doc, catalog, fragment, notes });
}
