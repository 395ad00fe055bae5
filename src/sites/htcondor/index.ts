/**
 * HTCondor site, groundwork: writers of the DAGMan DAG and submit descriptions for a generic
 * workflow, and parsers of what HTCondor reports (`condor_q -json`, `condor_history -json`,
 * the node status file, `jobstate.log`, job event logs, rescue DAGs), with their mapping to
 * site-neutral states. Built to HTCondor's documented formats and checked against recorded
 * files and a fake `condor_*` CLI (HTCondor cannot be installed where the tests run).
 *
 * Typical use: `writeHtcondorFiles({ workflow })` → `condor_submit_dag <dag>` in the submit
 * directory → `parseSubmitClusterId(stdout)`; later `parseNodeStatus(text)` and
 * `parseCondorJobs(condor_q -json output)`.
 * @packageDocumentation
 */

/** Submit description language quoting (new-syntax `arguments` and `environment`, `$(DOLLAR)`, ClassAd strings). */
export {
  escapeSubmitMacros,
  expandDollarMacros,
  formatClassAdString,
  parseSubmitArguments,
  parseSubmitEnvironment,
  quoteShellWord,
  quoteSubmitArguments,
  quoteSubmitEnvironment,
} from './submit-language.js';
/** The submit description of one job. */
export {
  DEFAULT_MEMORY_LIMIT_MIB,
  formatSubmitDescription,
  makeSubmitFilePath,
  makeUserLogPath,
  planJobCommand,
  resolveMemoryScaling,
  RetryMode,
} from './submit-writer.js';
export type { SubmitDescriptionOptions } from './submit-writer.js';
/** ClassAd expressions for memory growth, release and removal. */
export {
  formatPeriodicReleaseExpression,
  formatPeriodicRemoveExpression,
  formatRequestMemoryExpression,
  formatRetryUntilExpression,
  memoryHoldCondition,
} from './memory-expressions.js';
export type { MemoryScaling } from './memory-expressions.js';
/** The DAG description file and the FINAL node's POST script. */
export { FINAL_POST_SCRIPT, formatDag, formatFinalPostScript, makeDagBaseName, makeNodeNames } from './dag-writer.js';
export type { DagWriterOptions } from './dag-writer.js';
/** Writes every file of a run into the submit directory. */
export { writeHtcondorFiles } from './write-htcondor-files.js';
export type { HtcondorFiles, WriteHtcondorFilesOptions } from './write-htcondor-files.js';
/** HTCondor codes and their site-neutral states. */
export { classifyHold, CondorJobStatus, DagNodeStatus, HoldCode, HoldKind, HtcondorState, mapJobStatus, mapNodeStatus } from './htcondor-states.js';
/** ClassAd text and JSON. */
export { getAttr, getBoolean, getNumber, getString, parseClassAdJson, parseClassAdSequence } from './classad-text.js';
export type { ClassAd, ClassAdValue } from './classad-text.js';
/** `condor_q -json` / `condor_history -json` and `condor_submit_dag` output. */
export { mergeQueueAndHistory, parseCondorJobs, parseSubmitClusterId, summarizeJobAd } from './parse-condor-q.js';
export type { HtcondorJob } from './parse-condor-q.js';
/** The node status file. */
export { parseNodeStatus } from './parse-node-status.js';
export type { DagStatusSummary, NodeStatusEntry, NodeStatusFile } from './parse-node-status.js';
/** `jobstate.log` and rescue DAGs. */
export { parseJobstateLog, parseRescueDag, summarizeJobstate } from './parse-dagman-log.js';
export type { JobstateEvent, JobstateNode, JobstateSummary, RescueDag } from './parse-dagman-log.js';
/** Job event logs (user logs, `<dag>.nodes.log`). */
export { parseUserLog, summarizeUserLog, UserLogCode } from './parse-user-log.js';
export type { UserLogEvent, UserLogJob } from './parse-user-log.js';
/** The HTCondor site plugin. */
export { htcondorSite } from './htcondor-site.js';
/** Follows a submitted run until DAGMan exits, feeding the recorder (the driver's poll loop). */
export { followHtcondorRun } from './follow-htcondor-run.js';
export type { FollowHtcondorRunOptions } from './follow-htcondor-run.js';
/** Feeds a recorder from the node log and node status file of one run, one poll at a time. */
export { HtcondorRunPoller } from './htcondor-run-poller.js';
export type { HtcondorPollResult } from './htcondor-run-poller.js';
/** Settings written by prepare (`htcondor-site.json`) and the run id format. */
export { HTCONDOR_SITE_FILE, loadHtcondorSettings, parseHtcondorRunId, readHtcondorSettings } from './htcondor-settings.js';
export type { HtcondorSiteSettings } from './htcondor-settings.js';
/** Attempts of each DAG node from the node log. */
export { foldNodeEvents } from './fold-node-events.js';
export type { NodeAttempt, NodeAttemptEnd, NodeEvents } from './fold-node-events.js';
export { followHtcondor } from './follow.js';
