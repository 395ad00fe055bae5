/**
 * Slurm site: batch-script rendering (with a wrapper that records host, times, exit code and peak
 * memory in a JSON status file), the Slurm command layer (sbatch, squeue, scontrol, scancel,
 * sinfo through argument arrays), state mapping, a submission rate limiter, the site plugin with
 * its follower (retries over `afterok` by dependency updates, memory scaling, pruning, release
 * of a held final job), job arrays and restart adoption. Checked against a real one-node Slurm
 * 22.05 started by `scripts/dev-slurm.sh`.
 * @packageDocumentation
 */

/** POSIX shell quoting of one word / an argument vector. */
export { shellQuote, shellQuoteArgs } from './shell-quote.js';
/** Batch script of one job or job array: validated `#SBATCH` lines plus the wrapper body. */
export { formatSlurmWalltime, renderBatchScript, renderSbatchDirectives, toSlurmSafeName } from './batch-script.js';
export type { BatchJobSpec } from './batch-script.js';
/** The wrapper body alone, and the ways it can measure peak memory. */
export { PEAK_MEMORY_PROBES, renderJobWrapper } from './job-wrapper.js';
export type { JobWrapperOptions, PeakMemoryProbe, WrappedTask } from './job-wrapper.js';
/** The wrapper's JSON status file. */
export { WrapperPhase, parseWrapperStatus, readWrapperStatus } from './wrapper-status.js';
export type { WrapperStatus } from './wrapper-status.js';
/** Running Slurm commands; the error they raise. */
export { runSlurmCommand } from './run-slurm-command.js';
export type { SlurmCommandOptions, SlurmCommandResult } from './run-slurm-command.js';
export { SlurmCommandError, tailLines } from './slurm-command-error.js';
/** sbatch, scancel, sinfo, and scontrol update/release of dependencies and holds. */
export { cancelJobs, currentUserName, formatDependency, pingSlurm, releaseJobs, submitBatchJob, updateJobDependency } from './slurm-cli.js';
export type { CancelJobsOptions, SlurmPartition, SubmitBatchJobOptions, SubmittedBatchJob, UpdateJobDependencyOptions } from './slurm-cli.js';
/** squeue (one filtered call per polling round) and scontrol show job. */
export { SQUEUE_FORMAT, parseScontrolLine, parseSlurmTime, parseSqueueOutput, queryJobs, queryJobsById, showJob } from './squeue-query.js';
export type { QueryJobsOptions, SqueueRow } from './squeue-query.js';
/** Slurm states → site-neutral states, exit decoding, merge with the wrapper's status file. */
export { BLOCKED_REASON, SlurmReportState, decodeExitPair, decodeWaitStatus, isFinalState, mapSlurmState, mergeJobStatus, signalName } from './slurm-states.js';
/** How an attempt ended, from a merged status (a shell's exit 128+n read as signal n). */
export { BLOCKED_END_REASON, isOutOfMemoryEnd, toAttemptEnd, toPayloadExit } from './attempt-end.js';
export type { DecodedExit, MappedSlurmState, SlurmJobFacts, SlurmJobStatus } from './slurm-states.js';
/** Submission throttling. */
export { createRateLimiter } from './rate-limiter.js';
export type { RateLimiter } from './rate-limiter.js';
/** Site settings from the bps config, and the mapping of a workflow job to a batch script. */
export { readSlurmSettings } from './slurm-settings.js';
export type { SlurmSiteSettings } from './slurm-settings.js';
export { buildArrayJobSpec, buildBatchJobSpec, commandsKey, slurmJobName, slurmRunComment, slurmScriptFile, slurmSitePaths, slurmStatusFile } from './job-spec.js';
export type { ArrayMember, BuildBatchJobSpecOptions } from './job-spec.js';
/** Same-label jobs with identical requests and parents, grouped for one sbatch array. */
export { MAX_ARRAY_TASKS, groupArrayJobs } from './group-array-jobs.js';
/** The run's ledger of sbatch calls (Slurm id → job and attempt). */
export { appendLedger, latestLedgerEntries, readLedger, slurmLedgerFile } from './slurm-ledger.js';
export type { LedgerEntry } from './slurm-ledger.js';
/** Dependencies of a job on its parents' current ids, and their update on queued jobs. */
export { arrayIdOf, dependenciesOf, updateDependencies } from './job-dependencies.js';
export type { DependencyUpdate, JobDependencies } from './job-dependencies.js';
/** Restart: jobs of an earlier submission taken over instead of submitted twice. */
export { adoptQueuedJobs } from './adopt-queued-jobs.js';
export type { AdoptedJob, AdoptionPlan, AdoptQueuedJobsOptions } from './adopt-queued-jobs.js';
/** The Slurm site plugin and its stages. */
export { slurmSite } from './slurm-site.js';
export { SLURM_SITE_FILE, prepareSlurm, readPreparedSlurm, slurmSiteFile } from './prepare.js';
export type { PreparedSlurmSettings } from './prepare.js';
export { needsHold, slurmRunId, sortJobsByDependency, submitSlurm } from './submit.js';
export { statusSlurm } from './status.js';
export { cancelSlurm } from './cancel.js';
export { pingSlurmSite } from './ping.js';
export { followSlurm } from './follow.js';
export { SlurmRunFollower } from './slurm-run-follower.js';
