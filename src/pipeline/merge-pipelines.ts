import { equalConfigValues } from './config-values.js';
import { PipelineError } from './pipeline-errors.js';
import type { ConfigBlock, LabeledSubset, PipelineDocument, StepDeclaration, TaskDeclaration } from './pipeline-types.js';

function quoteSet(labels: Iterable<string>): string {
  return [...labels].map((l) => `'${l}'`).join(', ');
}

/**
 * Adds a config block to a task's list, merging it into the last block when that cannot change
 * the result: neither holds Python or files, same dataId, and no key set to two values.
 */
export function addConfigBlock(blocks: ConfigBlock[], block: ConfigBlock): void {
  const last = blocks[blocks.length - 1];
  const mergeable =
    last !== undefined &&
    equalConfigValues(last.dataId ?? null, block.dataId ?? null) &&
    last.python === undefined &&
    block.python === undefined &&
    last.files.length === 0 &&
    block.files.length === 0 &&
    Object.keys(block.values).every((k) => !(k in last.values) || equalConfigValues(last.values[k], block.values[k]));
  if (last === undefined || !mergeable) {
    blocks.push(block);
    return;
  }
  Object.assign(last.values, block.values);
}

function addStep(steps: Map<string, StepDeclaration>, step: StepDeclaration, file: string): void {
  const existing = steps.get(step.label);
  if (existing === undefined) steps.set(step.label, step);
  else if (existing.dimensions.join(',') !== step.dimensions.join(',')) {
    throw new PipelineError(
      `conflicting definitions of step '${step.label}': dimensions [${existing.dimensions.join(', ')}] in '${existing.source}' and [${step.dimensions.join(', ')}] in '${step.source}' (merging into '${file}')`,
      { file, label: step.label },
    );
  }
}

/**
 * Merges imported pipelines into `doc` with the reference's order and rules: imported tasks
 * first (labels must be unique among imports), then the importing file's tasks, which replace
 * an imported task of another class or add their config blocks after the imported ones for the
 * same class; the importing file's subsets and parameters win; instruments must agree.
 */
export function mergePipelines(doc: PipelineDocument, imported: PipelineDocument[]): void {
  const file = doc.source;
  const tasks = new Map<string, TaskDeclaration>();
  const subsets = new Map<string, LabeledSubset>();
  const parameters = {};
  const steps = new Map<string, StepDeclaration>();
  const ownContracts = doc.contracts;
  doc.contracts = [...ownContracts];
  for (const other of imported) {
    if (doc.instrument === undefined) doc.instrument = other.instrument;
    else if (other.instrument !== undefined && other.instrument !== doc.instrument) {
      throw new PipelineError(
        `only one instrument can be declared in a pipeline or its imports: '${file}' defines '${doc.instrument}' but imported '${other.source}' defines '${other.instrument}'`,
        { file, key: 'instrument', hint: "give the import 'instrument: None' to drop its instrument, or make them agree" },
      );
    }
    const dup = [...other.tasks.keys()].filter((l) => tasks.has(l));
    if (dup.length > 0) {
      throw new PipelineError(
        `task labels in the imported pipelines must be unique; ${quoteSet(dup)} appear in both '${tasks.get(dup[0] as string)?.source}' and '${other.source}' (imported by '${file}')`,
        { file, label: dup[0], hint: "use 'exclude' or 'rename' on one of the imports" },
      );
    }
    for (const [k, v] of other.tasks) tasks.set(k, v);
    doc.contracts.push(...other.contracts);
    const overlap = [...other.subsets.keys()].filter((l) => subsets.has(l));
    const clash = [...new Set([...subsets.keys(), ...other.subsets.keys()])].filter((l) => tasks.has(l));
    if (overlap.length > 0 || clash.length > 0) {
      throw new PipelineError(
        `labeled subset names must be unique amongst imports, both as subset and as task labels; duplicate: ${quoteSet([...overlap, ...clash])} (import '${other.source}' into '${file}')`,
        { file, label: overlap[0] ?? clash[0] },
      );
    }
    for (const [k, v] of other.subsets) subsets.set(k, v);
    Object.assign(parameters, other.parameters);
    for (const step of other.steps) addStep(steps, step, file);
  }
  for (const step of doc.steps) addStep(steps, step, file);
  const subsetTaskClash = [...subsets.keys()].filter((l) => doc.tasks.has(l));
  if (subsetTaskClash.length > 0) {
    throw new PipelineError(`imported labeled subset(s) ${quoteSet(subsetTaskClash)} use the same label as a task of '${file}'`, { file, label: subsetTaskClash[0] });
  }
  for (const [k, v] of doc.subsets) subsets.set(k, v);
  for (const [label, task] of doc.tasks) {
    const base = tasks.get(label);
    if (base !== undefined && base.taskClass === task.taskClass) {
      const merged = { ...base, config: structuredClone(base.config) };
      for (const block of task.config) addConfigBlock(merged.config, structuredClone(block));
      tasks.set(label, merged);
    } else tasks.set(label, task);
  }
  doc.tasks = tasks;
  doc.subsets = subsets;
  doc.parameters = Object.assign(parameters, doc.parameters);
  doc.steps = [...steps.values()];
}

/** Checks that subsets name existing tasks and that steps name subsets (after imports). */
export function verifySubsetsAndSteps(doc: PipelineDocument): void {
  for (const subset of doc.subsets.values()) {
    const missing = [...subset.tasks].filter((t) => !doc.tasks.has(t));
    if (missing.length > 0) {
      throw new PipelineError(
        `labeled subset '${subset.label}' (declared in '${subset.source}') names task label(s) ${quoteSet(missing)} that were not found in the pipeline '${doc.source}'`,
        { file: subset.source, label: subset.label, hint: 'fix the label or add the task' },
      );
    }
    if (doc.tasks.has(subset.label)) {
      throw new PipelineError(`labeled subset '${subset.label}' can not use the same label as a task (in '${doc.source}')`, { file: subset.source, label: subset.label });
    }
  }
  for (const step of doc.steps) {
    if (!doc.subsets.has(step.label)) {
      throw new PipelineError(`'${step.label}' was declared to be a step in '${step.source}', but was not declared to be a labeled subset`, {
        file: step.source,
        label: step.label,
        hint: `add a subset named '${step.label}'`,
      });
    }
  }
}
