/**
 * The batch production service behind `bps-ts`: the submit stages (acquire → cluster →
 * transform → prepare → submit) with artifacts in the submit directory and resume, the
 * persistent run state (one SQLite file per run + a user-level index), the driver that hands
 * a workflow to its site, and report / status / logs / restart / cancel.
 *
 * Typical use: `runSubmitStages({ input, env, stopAfter: 'submit', home, log, launch })` with
 * `launch = (runState, n) => driveRun({ runState, submission: n, log })`; later
 * `buildRunDetails(RunStateStore.open(locateRunState({ id, home })))`.
 * @packageDocumentation
 */

/** The stages and their one-line completion log. */
export { StageName, runStage } from './stage-log.js';
export type { StageCounts } from './stage-log.js';
/** `bps-ts submit` and its stages. */
export { runSubmitStages } from './submit-run.js';
export type { SubmitStagesOptions, SubmitStagesResult } from './submit-run.js';
/** What a submission was made from (`bps-submission.json`), to resume its stages. */
export { loadSubmissionConfig, readSubmissionInput, readSubmitPath, SUBMISSION_FILE } from './submission-input.js';
export type { LoadSubmissionOptions, SubmissionInput } from './submission-input.js';
/** Individual stages (used by `submit` and by tests). */
export { acquireGraph, readRunGraphFile } from './acquire-stage.js';
export type { AcquireOptions, AcquireResult } from './acquire-stage.js';
export { clusterStage, clusteredGraphFile } from './cluster-stage.js';
export { transformStage, workflowFile } from './transform-stage.js';
export { prepareStage, readSiteType, PREPARED_SITE_FILE } from './prepare-stage.js';
/** Driving a submission on its site. */
export { driveRun, emptyJobCounts } from './drive-run.js';
export type { DriveRunOptions, JobStateCounts } from './drive-run.js';
/** The run state of one run (`run-state.sqlite3`) and the user-level index of runs. */
export { RunStateStore } from './run-state-store.js';
export type { AttemptRow, JobRow, RunMetadata, SubmissionRow } from './run-state-store.js';
export { RUN_STATE_FILE, RUN_STATE_SCHEMA, RUN_STATE_VERSION } from './run-state-schema.js';
export { RunIndex, RUN_INDEX_FILE, locateRunState } from './run-index.js';
export type { RunIndexEntry } from './run-index.js';
/** Run state, with the `bps-ts status` exit codes. */
export { readRunStatus, RunState, RUN_STATE_EXIT_CODE } from './run-status.js';
export type { RunStatus } from './run-status.js';
/** Quantum states from provenance records. */
export { collectQuantumStates, openRunDatastore, QuantumState } from './quantum-states.js';
export type { QuantumStateRow } from './quantum-states.js';
/** Reports: runs list, run details, failures (with error lines picked by patterns). */
export { listRuns } from './list-runs.js';
export type { RunSummaryRow } from './list-runs.js';
export { buildRunDetails, classifyAttempt, readRunSnapshot } from './run-report.js';
export type { ErrorSummary, LabelCounts, QuantumStateCounts, RunDetails, RunSnapshot } from './run-report.js';
export { collectFailures } from './run-failures.js';
export type { BlockedQuantum, CollectFailuresOptions, JobFailure, QuantumFailure, RunFailures } from './run-failures.js';
export { compileErrorPatterns, DEFAULT_ERROR_PATTERNS, extractErrorLines } from './error-lines.js';
export { formatFailures, formatRunDetails, formatRunList } from './format-report.js';
/** Restart (with optional task-config amendments) and cancel. */
export { prepareRestart } from './restart-run.js';
export type { PrepareRestartOptions, PreparedRestart } from './restart-run.js';
export { amendGraphConfig, parseAmendments } from './amend-graph.js';
export type { ConfigAmendment } from './amend-graph.js';
export { cancelRun } from './cancel-run.js';
/** Errors of this layer. */
export { RunBusyError, RunNotFoundError, StageError } from './bps-errors.js';
