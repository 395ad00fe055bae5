import type { GraphTask, PipelineGraph, ResolvedConnection } from '../pipeline/index.js';
import type { DimensionGroup, DimensionUniverse } from '../registry/index.js';
import { GraphBuildError } from './graph-errors.js';

/** A set of dimensions data IDs are projected onto (shared by tasks and dataset types). */
export interface DimensionSet {
  readonly index: number;
  readonly group: DimensionGroup;
  /** Required dimensions: the key of a data ID. */
  readonly required: readonly string[];
  /** Required then implied: the values a projected data ID carries. */
  readonly names: readonly string[];
}

/** A dataset type taking part in quanta (regular input or output). */
export interface PlannedDatasetType {
  readonly index: number;
  readonly name: string;
  readonly dims: DimensionSet;
  readonly storageClass: string;
  /** Label of the producing task, if any. */
  readonly producer: string | undefined;
}

/** A regular input or output connection, bound to its planned dataset type. */
export interface PlannedConnection {
  readonly connection: ResolvedConnection;
  readonly type: PlannedDatasetType;
}

/** A task with its connections sorted by kind. */
export interface PlannedTask {
  readonly index: number;
  readonly task: GraphTask;
  readonly dims: DimensionSet;
  readonly inputs: readonly PlannedConnection[];
  readonly outputs: readonly PlannedConnection[];
  readonly prerequisites: readonly ResolvedConnection[];
  readonly initInputs: readonly ResolvedConnection[];
  readonly initOutputs: readonly ResolvedConnection[];
}

/** The pipeline seen by the builder: tasks, dataset types and dimension sets. */
export interface BuildPlan {
  readonly tasks: readonly PlannedTask[];
  readonly datasetTypes: readonly PlannedDatasetType[];
  readonly datasetTypesByName: ReadonlyMap<string, PlannedDatasetType>;
  readonly dimensionSets: readonly DimensionSet[];
  /** Union of every task's and dataset type's dimensions: what the data-ID query returns. */
  readonly queryDimensions: readonly string[];
}

/** Prepares a pipeline graph for quantum generation: dimension groups, dataset type table, checks. */
export function planBuild(pipeline: PipelineGraph, universe: DimensionUniverse): BuildPlan {
  const sets = new Map<string, DimensionSet>();
  const dimensionSet = (dims: readonly string[], what: string): DimensionSet => {
    let group: DimensionGroup;
    try {
      group = universe.group(dims);
    } catch (err) {
      throw new GraphBuildError(`${what} uses dimensions [${dims.join(', ')}], which the registry's dimension universe does not have: ${(err as Error).message}`, {
        cause: err,
        hint: `Known dimensions: ${universe.dimensionNames.join(', ')}.`,
      });
    }
    const key = group.required.join(',');
    let set = sets.get(key);
    if (set === undefined) {
      set = { index: sets.size, group, required: group.required, names: group.names };
      sets.set(key, set);
    }
    return set;
  };
  const missing = pipeline.tasks.filter((t) => !t.inCatalog);
  if (missing.length > 0) {
    throw new GraphBuildError(`Cannot build quanta for task(s) ${missing.map((t) => `"${t.label}" (${t.taskClass})`).join(', ')}: their classes are not in the task catalog, so their connections are unknown.`, {
      hint: 'Add catalog entries for them (see pipelines/catalog/) and pass the file with --catalog.',
    });
  }
  const typesByName = new Map<string, PlannedDatasetType>();
  const types: PlannedDatasetType[] = [];
  const planType = (c: ResolvedConnection, label: string): PlannedDatasetType => {
    let t = typesByName.get(c.datasetType);
    if (t === undefined) {
      const def = pipeline.datasetTypes.get(c.datasetType);
      const dims = dimensionSet(def?.dimensions ?? c.dimensions, `Dataset type "${c.datasetType}" (task "${label}", connection "${c.connection}")`);
      t = { index: types.length, name: c.datasetType, dims, storageClass: def?.storageClass ?? c.storageClass, producer: def?.producer };
      types.push(t);
      typesByName.set(t.name, t);
    }
    return t;
  };
  const tasks = pipeline.tasks.map((task, index): PlannedTask => {
    const dims = dimensionSet(task.dimensions, `Task "${task.label}"`);
    const byKind = (kind: ResolvedConnection['kind']): ResolvedConnection[] => task.connections.filter((c) => c.kind === kind);
    const outputs = byKind('output').map((c) => ({ connection: c, type: planType(c, task.label) }));
    for (const o of outputs) {
      if (!dims.group.contains(o.type.dims.group)) {
        throw new GraphBuildError(`Output "${o.type.name}" (connection "${o.connection.connection}") of task "${task.label}" has dimensions [${o.type.dims.required.join(', ')}], which are not among the task's [${dims.required.join(', ')}].`, {
          hint: 'An output must be identified by the data ID of the quantum writing it; fix the task catalog entry.',
        });
      }
    }
    return {
      index,
      task,
      dims,
      inputs: byKind('input').map((c) => ({ connection: c, type: planType(c, task.label) })),
      outputs,
      prerequisites: byKind('prerequisiteInput'),
      initInputs: byKind('initInput'),
      initOutputs: byKind('initOutput'),
    };
  });
  const query = new Set<string>();
  for (const t of tasks) for (const d of t.dims.required) query.add(d);
  for (const t of types) for (const d of t.dims.required) query.add(d);
  const queryDimensions = universe.dimensionNames.filter((d) => query.has(d));
  return { tasks, datasetTypes: types, datasetTypesByName: typesByName, dimensionSets: [...sets.values()], queryDimensions };
}
