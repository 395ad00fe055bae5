/**
 * The quantum-graph layer: builds the graph of task executions ("quanta") of a pipeline over
 * the data IDs a where-clause selects, and reads and writes it as a `.qg` file.
 *
 * Typical use: `buildQuantumGraph({ registry: createGraphRegistry(registry), pipeline, collections,
 * where, provenance })` → {@link BuildQuantumGraphResult}; `writeQuantumGraph(path, graph)`;
 * jobs `openQuantumGraph(path).readQuantum(i)`.
 * @packageDocumentation
 */

/** The graph data model (quanta, dataset refs, tasks, header) and the file format version. */
export { QUANTUM_GRAPH_FORMAT_VERSION } from './quantum-graph-types.js';
export type { GraphDataId, GraphDatasetRef, GraphDatasetTypeInfo, GraphTaskInfo, Quantum, QuantumGraph, QuantumGraphHeader } from './quantum-graph-types.js';

/** The small, read-only registry interface the builder uses, and its adapter over `Registry`. */
export { createGraphRegistry } from './graph-registry.js';
export type { GraphRegistry } from './graph-registry.js';

/** `buildQuantumGraph(options)`: collection rules, one streamed data-ID query, batched lookups, quanta. */
export { buildQuantumGraph } from './build-quantum-graph.js';
export type { BuildProgress, BuildQuantumGraphOptions, BuildQuantumGraphResult, DatasetQueryConstraint, GraphProvenance } from './build-quantum-graph.js';

/** Input/output collection rules of `qg build` (`-i`, `-o`, `--output-run`, `--extend-run`...). */
export { formatRunTimestamp, resolveCollections } from './resolve-collections.js';
export type { CollectionOptions, ResolvedCollections } from './resolve-collections.js';

/** Predicted output paths: the callback the caller gives the builder (the graph layer has no datastore). */
export type { PredictedDataset, PredictPath } from './assemble-quanta.js';

/** Per-task counts of a build (quanta, no work, skipped). */
export type { TaskStats } from './resolve-quanta.js';

/** Why a graph came out empty. */
export { explainEmptyGraph } from './explain-empty-graph.js';
export type { EmptyGraphReason } from './explain-empty-graph.js';

/** Errors of this layer. */
export {
  CollectionRulesError, EmptyGraphError, GraphBuildError, MissingCollectionError, OutputExistsError, PrerequisiteError, QuantumGraphFileError,
} from './graph-errors.js';

/**
 * The `.qg` file: `writeQuantumGraph(path, graph, options?)` (temp file + rename),
 * `readQuantumGraph(path)` (whole file, SHA-256 verified), `openQuantumGraph(path)` (random
 * access: `readQuantum(index)`, `findQuantumIndex(id)`, `close()`). All synchronous.
 */
export { writeQuantumGraph } from './write-quantum-graph.js';
export type { WriteQuantumGraphOptions, WriteQuantumGraphResult } from './write-quantum-graph.js';
export { openQuantumGraph, readQuantumGraph } from './read-quantum-graph.js';
export type { QuantumGraphReader } from './read-quantum-graph.js';

/** Text output: summary table, task list, quanta, workflow, dataset paths, Graphviz DOT. */
export {
  formatGraphQuanta, formatGraphTasks, formatGraphUris, formatGraphWorkflow, formatQuantaSummary, formatQuantumGraphDot, GraphShowKind,
} from './format-quantum-graph.js';
