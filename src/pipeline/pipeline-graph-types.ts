import type { ConfigObject } from './config-values.js';
import type { PipelineNote } from './pipeline-notes.js';
import type { LabeledSubset, StepDeclaration } from './pipeline-types.js';
import type { ResolvedConnection } from './resolve-connections.js';

/** A task of a pipeline graph: everything the quantum-graph builder needs about it. */
export interface GraphTask {
  label: string;
  taskClass: string;
  /** Quantum dimensions (empty for a task whose class is not in the catalog). */
  dimensions: string[];
  config: ConfigObject;
  connections: ResolvedConnection[];
  /** False when the class is missing from the catalog (only allowed with `allowMissingClasses`). */
  inCatalog: boolean;
  source: string;
  /** Step the task belongs to, when the pipeline declares steps. */
  step: string | undefined;
}

/** A dataset type of a pipeline graph and the tasks around it. */
export interface GraphDatasetType {
  name: string;
  dimensions: string[];
  storageClass: string;
  /** Init-input/init-output dataset (written once per run, not per quantum). */
  isInit: boolean;
  isCalibration: boolean;
  producer: string | undefined;
  /** Tasks reading it as an input or init-input. */
  consumers: string[];
  /** Tasks reading it as a prerequisite input. */
  prerequisiteOf: string[];
}

/** The data flow of an expanded pipeline. */
export interface PipelineGraph {
  description: string;
  instrument: string | undefined;
  /** Tasks in a topological order (ties broken by step, then pipeline order). */
  tasks: GraphTask[];
  datasetTypes: Map<string, GraphDatasetType>;
  /** Dataset types read but produced by no task (regular and init inputs), sorted. */
  overallInputs: string[];
  /** Prerequisite inputs (looked up in the registry, never produced), sorted. */
  prerequisiteInputs: string[];
  /** Dataset types produced and consumed inside the pipeline, sorted. */
  intermediates: string[];
  /** Dataset types produced and consumed by no task, sorted. */
  terminalOutputs: string[];
  /** Run-level init-outputs not attached to a task (`packages`). */
  globalInitOutputs: ResolvedConnection[];
  /** Tasks whose classes the catalog does not know. */
  missingTaskClasses: Array<{ label: string; taskClass: string }>;
  subsets: LabeledSubset[];
  steps: StepDeclaration[];
  notes: PipelineNote[];
}
