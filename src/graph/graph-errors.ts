import { BpsError, ExitCode, type BpsErrorOptions } from '../errors/index.js';

/** The output or input collections given to `qg build` break a rule (existing run, chain mismatch...). */
export class CollectionRulesError extends BpsError {
  override readonly code = 'COLLECTION_RULES';
  override readonly exitCode = ExitCode.conflict;
  /** The collection the rule is about. */
  readonly collection: string;

  constructor(message: string, options: BpsErrorOptions & { collection: string }) {
    super(message, options);
    this.collection = options.collection;
  }
}

/** A collection named on the command line does not exist. */
export class MissingCollectionError extends BpsError {
  override readonly code = 'MISSING_COLLECTION';
  override readonly exitCode = ExitCode.notFound;
  readonly collection: string;

  constructor(message: string, options: BpsErrorOptions & { collection: string }) {
    super(message, options);
    this.collection = options.collection;
  }
}

/** A prerequisite or init-input of some quantum could not be found (or was ambiguous). */
export class PrerequisiteError extends BpsError {
  override readonly code = 'PREREQUISITE';
  override readonly exitCode = ExitCode.notFound;
  readonly taskLabel: string;
  readonly datasetType: string;

  constructor(message: string, options: BpsErrorOptions & { taskLabel: string; datasetType: string }) {
    super(message, options);
    this.taskLabel = options.taskLabel;
    this.datasetType = options.datasetType;
  }
}

/** The pipeline and the registry disagree (dataset type definitions, unknown instrument...). */
export class GraphBuildError extends BpsError {
  override readonly code = 'GRAPH_BUILD';
  override readonly exitCode = ExitCode.invalidInput;
}

/** Outputs of quanta to run already exist in the output run (`--extend-run` without `--clobber-outputs`). */
export class OutputExistsError extends BpsError {
  override readonly code = 'OUTPUT_EXISTS';
  override readonly exitCode = ExitCode.conflict;
}

/** The graph has no quanta; the message explains which constraint emptied it. */
export class EmptyGraphError extends BpsError {
  override readonly code = 'EMPTY_GRAPH';
  override readonly exitCode = ExitCode.notFound;
  /** The explanation lines (also in the message). */
  readonly reasons: readonly string[];

  constructor(message: string, options: BpsErrorOptions & { reasons: readonly string[] }) {
    super(message, options);
    this.reasons = options.reasons;
  }
}

/** A `.qg` file is not a quantum graph, is of an unknown version, truncated or corrupted. */
export class QuantumGraphFileError extends BpsError {
  override readonly code = 'QGRAPH_FILE';
  override readonly exitCode = ExitCode.invalidInput;
  readonly file: string;

  constructor(message: string, options: BpsErrorOptions & { file: string }) {
    super(message, options);
    this.file = options.file;
  }
}
