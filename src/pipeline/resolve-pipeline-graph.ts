import { DEFAULT_DIMENSION_RELATIONS, dimensionKey } from './dimension-relations.js';
import type { DimensionRelations } from './dimension-relations.js';
import type { ExpandedPipeline } from './expanded-pipeline.js';
import { MissingTaskClassError, PipelineGraphError } from './pipeline-errors.js';
import type { PipelineNote } from './pipeline-notes.js';
import type { GraphDatasetType, GraphTask, PipelineGraph } from './pipeline-graph-types.js';
import { automaticConnections, resolveConnections } from './resolve-connections.js';
import type { ResolvedConnection } from './resolve-connections.js';
import type { TaskCatalog } from './task-catalog.js';
import { sortTasks } from './task-order.js';
import { validateSteps } from './validate-steps.js';

/** Options of {@link resolvePipelineGraph}. */
export interface ResolvePipelineGraphOptions {
  /**
   * Keep tasks whose classes the catalog lacks (with only their automatic datasets) instead of
   * failing; they are listed in `missingTaskClasses`. For display, never for building quanta.
   */
  allowMissingClasses?: boolean;
  /** Dimension relations used by the step checks; default: the butler-like default universe. */
  relations?: DimensionRelations;
  /** Skip step validation (used while computing a `#a..b` range). */
  skipSteps?: boolean;
}

/** The run-level `packages` init-output written once per run. */
const PACKAGES: ResolvedConnection = {
  connection: 'packages', kind: 'initOutput', datasetType: 'packages', dimensions: [], storageClass: 'Packages',
  multiple: false, minimum: 1, isCalibration: false, deferLoad: false, deferGraphConstraint: false, automatic: true,
};

function graphTasks(expanded: ExpandedPipeline, catalog: TaskCatalog, notes: PipelineNote[]): GraphTask[] {
  const stepOf = new Map<string, string>();
  for (const step of expanded.steps) {
    for (const label of expanded.subsets.find((s) => s.label === step.label)?.tasks ?? []) if (!stepOf.has(label)) stepOf.set(label, step.label);
  }
  return expanded.tasks.map((t) => {
    const entry = catalog.get(t.taskClass);
    const connections = entry === undefined
      ? automaticConnections(t.label, [], t.config)
      : resolveConnections({ label: t.label, source: t.source, entry, config: t.config, notes });
    return { label: t.label, taskClass: t.taskClass, dimensions: entry ? [...entry.dimensions] : [], config: t.config, connections, inCatalog: entry !== undefined, source: t.source, step: stepOf.get(t.label) };
  });
}

function collectDatasetTypes(tasks: GraphTask[], relations: DimensionRelations, file: string): { types: Map<string, GraphDatasetType>; inconsistency: PipelineGraphError | undefined } {
  let inconsistency: PipelineGraphError | undefined;
  const types = new Map<string, GraphDatasetType>();
  const firstUse = new Map<string, { task: GraphTask; connection: ResolvedConnection }>();
  for (const task of tasks) {
    for (const c of task.connections) {
      const isInit = c.kind === 'initInput' || c.kind === 'initOutput';
      let node = types.get(c.datasetType);
      if (node === undefined) {
        node = { name: c.datasetType, dimensions: [...c.dimensions], storageClass: c.storageClass, isInit, isCalibration: c.isCalibration, producer: undefined, consumers: [], prerequisiteOf: [] };
        types.set(c.datasetType, node);
        firstUse.set(c.datasetType, { task, connection: c });
      } else if (task.inCatalog && !c.dimensions.includes('skypix') && !node.dimensions.includes('skypix')) {
        const first = firstUse.get(c.datasetType) as { task: GraphTask; connection: ResolvedConnection };
        if (inconsistency === undefined && (node.isInit !== isInit || dimensionKey(node.dimensions, relations) !== dimensionKey(c.dimensions, relations))) {
          inconsistency = new PipelineGraphError(
            `dataset type '${c.datasetType}' is used with different definitions: [${node.dimensions.join(', ')}]${node.isInit ? ' (init)' : ''} by task '${first.task.label}' (connection '${first.connection.connection}', declared in '${first.task.source}') and [${c.dimensions.join(', ')}]${isInit ? ' (init)' : ''} by task '${task.label}' (connection '${c.connection}', declared in '${task.source}')`,
            { file: task.source, label: task.label, hint: 'fix the catalog entry or rename one connection with connections.<name>' },
          );
        }
      }
      if (c.kind === 'output' || c.kind === 'initOutput') {
        if (node.producer !== undefined) {
          const other = tasks.find((t) => t.label === node?.producer) as GraphTask;
          throw new PipelineGraphError(
            `dataset type '${c.datasetType}' is produced by both task '${other.label}' (declared in '${other.source}') and task '${task.label}' (declared in '${task.source}'); each dataset type must have one producer (pipeline '${file}')`,
            { file: task.source, label: task.label, hint: `rename one output, e.g. -c ${task.label}:connections.${c.connection}=<new name>` },
          );
        }
        node.producer = task.label;
        node.dimensions = [...c.dimensions];
        node.storageClass = c.storageClass;
      } else if (c.kind === 'prerequisiteInput') node.prerequisiteOf.push(task.label);
      else node.consumers.push(task.label);
      if (c.isCalibration) node.isCalibration = true;
    }
  }
  for (const node of types.values()) {
    if (node.producer !== undefined && node.prerequisiteOf.length > 0) {
      const consumer = tasks.find((t) => t.label === node.prerequisiteOf[0]) as GraphTask;
      throw new PipelineGraphError(
        `dataset type '${node.name}' is a prerequisite input of task '${consumer.label}' (declared in '${consumer.source}') but is produced by task '${node.producer}' in the same pipeline; prerequisites must already exist before the pipeline runs`,
        { file: consumer.source, label: consumer.label, hint: 'make it a regular input in the catalog, or run the producing task in an earlier pipeline' },
      );
    }
  }
  return { types, inconsistency };
}

/**
 * Resolves the data flow of an expanded pipeline with the task catalog: each task's dataset
 * types (names after templates and `connections.*` overrides), dimensions and storage classes,
 * producers and consumers, overall inputs, intermediates, a topological task order, and the
 * step checks. Errors: a class missing from the catalog (unless allowed), two producers of a
 * dataset type, a prerequisite that is produced, inconsistent definitions, cycles, bad steps.
 */
export function resolvePipelineGraph(expanded: ExpandedPipeline, catalog: TaskCatalog, options: ResolvePipelineGraphOptions = {}): PipelineGraph {
  const relations = options.relations ?? DEFAULT_DIMENSION_RELATIONS;
  const notes: PipelineNote[] = [];
  const missing = expanded.tasks.filter((t) => !catalog.has(t.taskClass)).map((t) => ({ label: t.label, taskClass: t.taskClass }));
  if (missing.length > 0 && options.allowMissingClasses !== true) {
    const classes = [...new Set(missing.map((m) => m.taskClass))];
    throw new MissingTaskClassError(
      `${classes.length} task class(es) of pipeline '${expanded.source}' are not in the task catalog, so their connections are unknown: ${missing.map((m) => `${m.label} (${m.taskClass})`).join(', ')}`,
      { taskClasses: classes, hint: 'add entries for them to a catalog YAML file (see pipelines/catalog/) and pass it with --catalog' },
    );
  }
  for (const m of missing) notes.push({ kind: 'unknown-task-class', label: m.label, message: `class '${m.taskClass}' of task '${m.label}' is not in the task catalog; its connections are unknown` });
  const unsorted = graphTasks(expanded, catalog, notes);
  const { types: datasetTypes, inconsistency } = collectDatasetTypes(unsorted, relations, expanded.source);
  const stepIndex = new Map(expanded.steps.map((s, i) => [s.label, i]));
  const order = new Map(unsorted.map((t, i) => [t.label, i]));
  const rank = (t: GraphTask): number => (stepIndex.get(t.step ?? '') ?? 0) * 100000 + (order.get(t.label) ?? 0);
  const tasks = sortTasks(unsorted, rank, expanded.source);
  // Like the reference, cycles are found before dataset type definitions are compared.
  if (inconsistency !== undefined) throw inconsistency;
  if (options.skipSteps !== true) validateSteps({ steps: expanded.steps, subsets: expanded.subsets, tasks, relations, file: expanded.source });
  const names = [...datasetTypes.values()];
  const sorted = (pick: (d: GraphDatasetType) => boolean): string[] => names.filter(pick).map((d) => d.name).sort();
  return {
    description: expanded.description,
    instrument: expanded.instrument,
    tasks,
    datasetTypes,
    overallInputs: sorted((d) => d.producer === undefined && d.consumers.length > 0),
    prerequisiteInputs: sorted((d) => d.producer === undefined && d.prerequisiteOf.length > 0),
    intermediates: sorted((d) => d.producer !== undefined && d.consumers.length > 0),
    terminalOutputs: sorted((d) => d.producer !== undefined && d.consumers.length === 0),
    globalInitOutputs: [PACKAGES],
    missingTaskClasses: missing,
    subsets: expanded.subsets,
    steps: expanded.steps,
    notes,
  };
}
