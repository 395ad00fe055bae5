import type { DataIdValue } from '../registry/index.js';

/** Version of the `.qg` file format this code writes and reads. */
export const QUANTUM_GRAPH_FORMAT_VERSION = 2;

/** A data ID in a graph: required and implied dimension values. */
export type GraphDataId = Readonly<Record<string, DataIdValue>>;

/**
 * A dataset as the graph knows it: an existing input found in the registry, or an output
 * predicted in the output run. `path` is where its file is (existing: from the datastore
 * record; predicted: from the repository's file templates), relative to the datastore root
 * unless absolute (`direct` ingest), so that jobs read and write files without the registry.
 */
export interface GraphDatasetRef {
  readonly id: string;
  readonly datasetType: string;
  readonly dataId: GraphDataId;
  readonly run: string;
  readonly path?: string;
  /** Formatter of an existing file (from its datastore record). */
  readonly formatter?: string;
  /**
   * Id of the dataset with the same type and data ID already in the output run that this
   * predicted output replaces (`--clobber-outputs`); the executor removes it first.
   */
  readonly replacesId?: string;
}

/** One execution of one task on one data ID, with its exact inputs and outputs. */
export interface Quantum {
  /** UUIDv7. */
  readonly id: string;
  /** Position in the graph file (0-based, topological order). */
  readonly index: number;
  readonly taskLabel: string;
  readonly dataId: GraphDataId;
  /** Regular inputs by connection name. */
  readonly inputs: Readonly<Record<string, readonly GraphDatasetRef[]>>;
  /** Prerequisite inputs by connection name. */
  readonly prerequisites: Readonly<Record<string, readonly GraphDatasetRef[]>>;
  /** Outputs by connection name (includes `_metadata` and `_log`). */
  readonly outputs: Readonly<Record<string, readonly GraphDatasetRef[]>>;
  /** Indexes of the quanta producing this quantum's inputs. */
  readonly upstream: readonly number[];
}

/** A task as recorded in a graph: enough to run its quanta without the pipeline files. */
export interface GraphTaskInfo {
  readonly label: string;
  readonly taskClass: string;
  readonly dimensions: readonly string[];
  readonly config: Readonly<Record<string, unknown>>;
  /** Init-inputs and init-outputs by connection name (`_config` included). */
  readonly initInputs: Readonly<Record<string, GraphDatasetRef>>;
  readonly initOutputs: Readonly<Record<string, GraphDatasetRef>>;
  /** Connection name → storage class, for every connection of the task. */
  readonly storageClasses: Readonly<Record<string, string>>;
  /** Input connections declared `multiple` (tasks receive a list for them). */
  readonly multipleConnections?: readonly string[];
  readonly quanta: number;
}

/** A dataset type used by a graph. */
export interface GraphDatasetTypeInfo {
  readonly name: string;
  readonly dimensions: readonly string[];
  readonly storageClass: string;
  readonly isCalibration: boolean;
}

/** Everything about a graph except its quanta. */
export interface QuantumGraphHeader {
  readonly formatVersion: number;
  readonly createdAt: string;
  readonly user: string;
  readonly host: string;
  readonly commandLine: string;
  readonly repo: string;
  readonly inputCollections: readonly string[];
  readonly outputCollection: string;
  readonly outputRun: string;
  /** The expanded pipeline, as YAML that loads again. */
  readonly pipelineYaml: string;
  readonly tasks: readonly GraphTaskInfo[];
  readonly datasetTypes: readonly GraphDatasetTypeInfo[];
  /** Run-level init-outputs (`packages`). */
  readonly globalInitOutputs: readonly GraphDatasetRef[];
  readonly quantumCount: number;
  readonly datasetCount: number;
}

/** A whole graph in memory. */
export interface QuantumGraph {
  readonly header: QuantumGraphHeader;
  readonly quanta: readonly Quantum[];
}
