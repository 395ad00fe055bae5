import type { ConfigObject, ConfigValue } from './config-values.js';

/** How an import (or a label fragment) treats labeled subsets that lose task labels. */
export const SubsetModifyMode = ['DROP', 'EDIT'] as const;
export type SubsetModifyMode = (typeof SubsetModifyMode)[number];

/**
 * One config block of a task: dotted-key values plus the payloads we keep but do not run
 * (`python` snippets and `file` references are pex_config Python; bps-ts never executes Python).
 */
export interface ConfigBlock {
  /** Dotted-key overrides in document order. */
  values: ConfigObject;
  /** `file:` entries (Python config files), kept as opaque references. */
  files: string[];
  /** `python:` snippet, kept as an opaque payload. */
  python: string | undefined;
  /** `dataId:` constraint (unimplemented upstream too), kept as is. */
  dataId: ConfigValue | undefined;
}

/** A task of a pipeline document: label, class, config blocks and the file declaring it. */
export interface TaskDeclaration {
  label: string;
  taskClass: string;
  config: ConfigBlock[];
  /** File the task definition came from. */
  source: string;
}

/** A named set of task labels. */
export interface LabeledSubset {
  label: string;
  tasks: Set<string>;
  description: string | undefined;
  source: string;
}

/** A labeled subset declared to be a step, with its sharding dimensions. */
export interface StepDeclaration {
  label: string;
  dimensions: string[];
  source: string;
}

/** A contract: a Python-like boolean expression over task configs, with an optional message. */
export interface ContractDeclaration {
  contract: string;
  msg: string | undefined;
  source: string;
}

/** The intermediate representation of a pipeline after its imports are merged in. */
export interface PipelineDocument {
  source: string;
  description: string;
  instrument: string | undefined;
  parameters: ConfigObject;
  tasks: Map<string, TaskDeclaration>;
  subsets: Map<string, LabeledSubset>;
  steps: StepDeclaration[];
  contracts: ContractDeclaration[];
}

/** Deep copy of a pipeline document. */
export function clonePipelineDocument(doc: PipelineDocument): PipelineDocument {
  return {
    ...doc,
    parameters: structuredClone(doc.parameters),
    tasks: new Map([...doc.tasks].map(([k, t]) => [k, { ...t, config: structuredClone(t.config) }])),
    subsets: new Map([...doc.subsets].map(([k, s]) => [k, { ...s, tasks: new Set(s.tasks) }])),
    steps: doc.steps.map((s) => ({ ...s, dimensions: [...s.dimensions] })),
    contracts: doc.contracts.map((c) => ({ ...c })),
  };
}
