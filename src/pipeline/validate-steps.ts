import { areDimensionsCompatible } from './dimension-relations.js';
import type { DimensionRelations } from './dimension-relations.js';
import { PipelineGraphError } from './pipeline-errors.js';
import type { GraphTask } from './pipeline-graph-types.js';
import type { LabeledSubset, StepDeclaration } from './pipeline-types.js';

/**
 * Checks declared steps against the data flow and sharding dimensions, with the reference's
 * rules: steps partition the tasks (each task in exactly one step), no task produces what an
 * earlier step consumes, and each task's dimensions and output dimensions suit its step's
 * sharding dimensions. Tasks whose classes are unknown are checked for membership only.
 */
export function validateSteps(options: {
  steps: readonly StepDeclaration[];
  subsets: readonly LabeledSubset[];
  tasks: readonly GraphTask[];
  relations: DimensionRelations;
  file: string;
}): void {
  const { steps, tasks, relations, file } = options;
  if (steps.length === 0) return;
  const subsets = new Map(options.subsets.map((s) => [s.label, s]));
  const byLabel = new Map(tasks.map((t) => [t.label, t]));
  const seen = new Set<string>();
  const consumedSoFar = new Map<string, Set<string>>();
  for (const step of steps) {
    const subset = subsets.get(step.label);
    const where = { file: step.source, label: step.label };
    if (subset === undefined) throw new PipelineGraphError(`step '${step.label}' (declared in '${step.source}') is not a labeled subset`, where);
    const repeated = [...subset.tasks].filter((t) => seen.has(t));
    if (repeated.length > 0) throw new PipelineGraphError(`step '${step.label}' (declared in '${step.source}') repeats task(s) ${repeated.join(', ')} of an earlier step`, where);
    const stepInputs = new Map<string, Set<string>>();
    for (const label of subset.tasks) {
      seen.add(label);
      const task = byLabel.get(label);
      if (task === undefined) continue;
      for (const c of task.connections) {
        if (c.kind === 'output' || c.kind === 'initOutput') continue;
        if (!stepInputs.has(c.datasetType)) stepInputs.set(c.datasetType, new Set());
        (stepInputs.get(c.datasetType) as Set<string>).add(label);
      }
      const early = task.connections.filter((c) => (c.kind === 'output' || c.kind === 'initOutput') && consumedSoFar.has(c.datasetType));
      if (early.length > 0) {
        const list = early.map((c) => `${c.datasetType} (used by ${[...(consumedSoFar.get(c.datasetType) as Set<string>)].join(', ')})`).join(', ');
        throw new PipelineGraphError(
          `task '${label}' in step '${step.label}' produces dataset types [${list}], but these are consumed by tasks in earlier steps; either the steps are out of order or the graph is cyclic (steps declared in '${step.source}')`,
          { ...where, label },
        );
      }
      if (!task.inCatalog) continue;
      if (!areDimensionsCompatible(step.dimensions, task.dimensions, relations)) {
        throw new PipelineGraphError(
          `dimensions [${task.dimensions.join(', ')}] of task '${label}' are not compatible with the sharding dimensions [${step.dimensions.join(', ')}] of step '${step.label}' (declared in '${step.source}')`,
          { ...where, label },
        );
      }
      for (const c of task.connections) {
        if (c.kind !== 'output' || areDimensionsCompatible(step.dimensions, c.dimensions, relations)) continue;
        throw new PipelineGraphError(
          `dimensions [${c.dimensions.join(', ')}] of dataset type '${c.datasetType}' (produced by task '${label}') are not compatible with the sharding dimensions [${step.dimensions.join(', ')}] of step '${step.label}' (declared in '${step.source}')`,
          { ...where, label },
        );
      }
    }
    for (const [name, users] of stepInputs) {
      if (!consumedSoFar.has(name)) consumedSoFar.set(name, new Set());
      for (const u of users) (consumedSoFar.get(name) as Set<string>).add(u);
    }
  }
  const orphans = tasks.map((t) => t.label).filter((l) => !seen.has(l));
  if (orphans.length > 0) {
    throw new PipelineGraphError(`no step contains task(s) ${orphans.join(', ')} (pipeline '${file}' declares steps, so every task must belong to exactly one)`, {
      file,
      label: orphans[0],
      hint: 'add the task to a step subset, or exclude it',
    });
  }
}
