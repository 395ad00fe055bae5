/**
 * Generic workflow: the DAG of jobs a site runs, made from a clustered quantum graph. An init
 * job (`qg pre-exec-init REPO GRAPH`), one job per cluster (`qg run-qbb REPO GRAPH
 * --qgraph-node-id IDS`), a final job (`qg aggregate-graph GRAPH REPO`) that runs even after
 * failures; commands are argument arrays, names safe for any batch system, log paths under
 * the submit directory. The JSON file lets later stages resume without recomputing. Pure
 * apart from reading and writing that file.
 *
 * Typical use: `transformWorkflow({ config, clustered, graph })` → {@link TransformWorkflowResult};
 * `writeGenericWorkflow(path, workflow)`; a site: `readGenericWorkflow(path)`.
 * @packageDocumentation
 */

/** The transform stage. */
export { MAX_ID_ARGUMENT, transformWorkflow } from './transform-workflow.js';
export type { TransformWorkflowOptions, TransformWorkflowResult } from './transform-workflow.js';
/** The workflow model. */
export { GENERIC_WORKFLOW_FORMAT_VERSION, JobKind } from './workflow-types.js';
export type { GenericWorkflow, GenericWorkflowJob, WorkflowCounts, WorkflowRunAttributes } from './workflow-types.js';
/** JSON file of a workflow (atomic write, checked read). */
export { writeGenericWorkflow, writeQuantumIdFiles, readGenericWorkflow, formatGenericWorkflow, parseGenericWorkflow } from './workflow-json.js';
/** Log layout `logs/<label>/<data ID parts>/<job>.out|.err` and its safe resolution. */
export { makeJobLogPaths, resolveJobLogPaths } from './job-log-paths.js';
/** Job names and path segments safe for batch systems and file systems. */
export { sanitizeJobName, sanitizePathSegment, UniqueNames, MAX_JOB_NAME } from './safe-names.js';
/** The error raised for a workflow that cannot be made or read. */
export { WorkflowError } from './workflow-error.js';
