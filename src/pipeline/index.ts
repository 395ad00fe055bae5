/**
 * Pipeline layer: reads pipeline YAML written for Rubin's `pipetask` (imports, parameters,
 * subsets, steps, contracts, label fragments), resolves task configs against a task catalog,
 * and resolves the data flow into a {@link PipelineGraph}. Pure: no database, no processes.
 *
 * Typical use: `loadPipeline({ uri, env, catalog, overrides })` → {@link ExpandedPipeline},
 * then `resolvePipelineGraph(expanded, catalog)` → {@link PipelineGraph}.
 *
 * `python` and `file` config blocks are pex_config Python: they are kept and reported as
 * opaque payloads (see {@link summarizeOpaqueConfig}); bps-ts never runs Python.
 * @packageDocumentation
 */

/** Loads and expands a pipeline (`file.yaml#fragment`); see {@link LoadPipelineOptions}. */
export { loadPipeline, expandPipelineDocument } from './load-pipeline.js';
export type { LoadPipelineOptions } from './load-pipeline.js';
/** Command-line overrides (`-c`, `-C`, `--instrument`) and how they are applied. */
export { applyPipelineOverrides } from './apply-overrides.js';
export type { PipelineOverrides } from './apply-overrides.js';
/** The expanded pipeline: tasks with resolved configs, subsets, steps, contracts, notes. */
export type { ExpandedPipeline, ExpandedTask } from './expanded-pipeline.js';
/** Reads a pipeline file and its imports into the merged document (no fragment, no overrides). */
export { readPipelineFile, expandEnvVars } from './read-pipeline-file.js';
export type { PipelineEnv } from './read-pipeline-file.js';
/** Subsetting by labels, with the reference's DROP/EDIT handling of labeled subsets. */
export { subsetPipeline } from './subset-pipeline.js';
/** Parses `file.yaml#a,b` / `#a..b` pipeline URIs. */
export { parsePipelineUri } from './label-specifier.js';
export type { LabelSpecifier } from './label-specifier.js';
/** The pipeline document model (intermediate representation). */
export { SubsetModifyMode, clonePipelineDocument } from './pipeline-types.js';
export type { ConfigBlock, ContractDeclaration, LabeledSubset, PipelineDocument, StepDeclaration, TaskDeclaration } from './pipeline-types.js';
/** Config values and dotted-path helpers. */
export { flattenConfig, getConfigPath, MISSING, parseConfigValueText, setConfigPath } from './config-values.js';
export type { ConfigObject, ConfigValue } from './config-values.js';
/** Contract checking (a safe evaluator for the Python subset contracts use). */
export { checkContracts } from './check-contracts.js';
export type { ContractCheckSummary } from './check-contracts.js';
/** Non-fatal findings of expansion. */
export { PipelineNoteKind, summarizeOpaqueConfig } from './pipeline-notes.js';
export type { PipelineNote } from './pipeline-notes.js';
/** Task catalog: connections and config defaults of task classes. */
export { ConnectionKind, TaskCatalog } from './task-catalog.js';
export type { ConnectionSpec, TaskCatalogEntry } from './task-catalog.js';
export { defaultCatalogDir, defineTaskEntry, loadTaskCatalog, normalizeCatalogEntry, readTaskCatalogFile } from './read-task-catalog.js';
export type { LoadTaskCatalogOptions, TaskCatalogEntryInput } from './read-task-catalog.js';
/** Pipeline graph: resolved connections and data flow. */
export { resolvePipelineGraph } from './resolve-pipeline-graph.js';
export type { ResolvePipelineGraphOptions } from './resolve-pipeline-graph.js';
export type { GraphDatasetType, GraphTask, PipelineGraph } from './pipeline-graph-types.js';
export type { ResolvedConnection } from './resolve-connections.js';
export { selectTasksBetween } from './task-order.js';
/** Dimension relations used for step checks before a registry is known. */
export { areDimensionsCompatible, DEFAULT_DIMENSION_RELATIONS, expandDimensions } from './dimension-relations.js';
export type { DimensionRelations } from './dimension-relations.js';
/** Output formats: saved pipeline YAML and Graphviz DOT. */
export { formatPipelineYaml } from './write-pipeline-yaml.js';
export { formatPipelineDot } from './format-pipeline-dot.js';
/** Errors of this layer. */
export { ContractError, MissingTaskClassError, PipelineError, PipelineGraphError, TaskCatalogError } from './pipeline-errors.js';
export type { PipelineErrorContext } from './pipeline-errors.js';
