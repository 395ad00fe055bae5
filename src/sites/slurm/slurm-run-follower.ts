import { hostname } from 'node:os';
import type { GenericWorkflowJob } from '../../workflow/index.js';
import { attemptLogPaths, isRetryable, nextMemory } from '../local/index.js';
import type { AttemptEnd, JobState, RunningAttempt, SubmitOptions } from '../site-plugin.js';
import { isOutOfMemoryEnd, toAttemptEnd } from './attempt-end.js';
import { cancelSlurm } from './cancel.js';
import { arrayIdOf, dependenciesOf, updateDependencies, type DependencyUpdate } from './job-dependencies.js';
import { slurmStatusFile } from './job-spec.js';
import type { PreparedSlurmSettings } from './prepare.js';
import { cancelJobs, releaseJobs } from './slurm-cli.js';
import { decodeWaitStatus, isFinalState, mapSlurmState, mergeJobStatus } from './slurm-states.js';
import { parseSlurmTime, queryJobsById, type SqueueRow } from './squeue-query.js';
import { submitRetry } from './submit-retry.js';
import { trackSubmittedJobs, type Tracked } from './tracked-job.js';
import { readWrapperStatus, type WrapperStatus } from './wrapper-status.js';

/** Polls in a row that may miss a job (not listed, no status file) before it counts as lost. */
const MAX_MISSES = 3;
/** Times a job blocked for no reason the follower knows gets its dependencies re-issued before it is pruned. */
const MAX_DEPENDENCY_REPAIRS = 3;

/**
 * Follows one submission of a Slurm run and acts on it; the only actor that changes the run in
 * Slurm once it is submitted. Each {@link poll} is ONE squeue call for the attempts not yet
 * ended (array tasks included), wrapper status files read only for jobs that ended. It records
 * an attempt as started when Slurm runs it (never while queued), and its end; retries a failed
 * job per `numberOfRetries`/`retryUnlessExit` with a new sbatch (memory multiplied after an
 * out-of-memory end) and points the children, still queued with `afterok` on the failed id,
 * at the retry with `scontrol update` (Slurm 22.05 revives a job pending on
 * DependencyNeverSatisfied that way); prunes and cancels the queued descendants of a job that
 * failed for good; releases a held final job once its parents have ended for good.
 */
export class SlurmRunFollower {
  private readonly tracked = new Map<string, Tracked>();
  private readonly children = new Map<string, GenericWorkflowJob[]>();
  private readonly toCancel: string[] = [];
  private updated = new Set<string>();

  constructor(private readonly options: SubmitOptions, private readonly settings: PreparedSlurmSettings, private readonly siteRunId: string) {
    for (const job of options.workflow.jobs) for (const p of job.parents) this.children.set(p, [...(this.children.get(p) ?? []), job]);
    for (const t of trackSubmittedJobs(options)) this.tracked.set(t.job.name, t);
  }

  /** Jobs still queued, running or about to be retried. */
  get unfinished(): number {
    return [...this.tracked.values()].filter((t) => !t.final).length;
  }

  /** One polling round: reads the queue once and acts on every change. */
  async poll(): Promise<void> {
    const active = [...this.tracked.values()].filter((t) => !t.final);
    if (active.length === 0) return;
    const rowOf = await queryJobsById(active.map((t) => t.jobId));
    const blocked: Tracked[] = [];
    this.updated = new Set();
    for (const t of active) {
      if (t.final) continue;
      const row = rowOf(t.jobId);
      const mapped = row === undefined ? undefined : mapSlurmState(row.state, row.reason);
      if (row !== undefined && mapped !== undefined && (!isFinalState(mapped.state) || (mapped.state === 'BLOCKED' && row.state === 'PENDING'))) {
        t.misses = 0;
        if (mapped.state === 'RUNNING') {
          this.markStarted(t, row, undefined);
          this.setState(t, 'running');
        } else if (mapped.state !== 'UNKNOWN') {
          this.setState(t, mapped.state === 'PENDING' && !/^Dependency/.test(row.reason) ? 'ready' : 'unready');
          if (mapped.state === 'BLOCKED') blocked.push(t);
        }
        continue;
      }
      const wrapper = await readWrapperStatus(slurmStatusFile(this.options.workflow.submitPath, t.job.name, t.attempt));
      if (row === undefined && (wrapper === undefined || wrapper.phase === 'running') && ++t.misses < MAX_MISSES) continue;
      await this.handleEnd(t, row, wrapper);
    }
    await this.repairBlocked(blocked);
    await this.cancelDoomed();
    await this.releaseHeld();
  }

  /** Cancels the run's jobs (aborted follow) and records every unfinished job as deleted. */
  async cancelAll(): Promise<void> {
    const running: RunningAttempt[] = [...this.tracked.values()].filter((t) => !t.final && t.started).map((t) => ({ job: t.job.name, attempt: t.attempt, host: hostname(), pid: null, pidStart: null, siteJobId: t.jobId }));
    await cancelSlurm({ submitPath: this.options.workflow.submitPath, siteRunId: this.siteRunId, running });
    const now = Date.now();
    for (const t of this.tracked.values()) {
      if (t.final) continue;
      if (t.started) this.options.recorder.attemptEnded({ job: t.job.name, attempt: t.attempt, state: 'deleted', exitCode: null, signal: null, endedAt: now, reason: 'cancelled' });
      this.finish(t, 'deleted');
    }
  }

  private async handleEnd(t: Tracked, row: SqueueRow | undefined, wrapper: WrapperStatus | undefined): Promise<void> {
    const now = Date.now();
    const merged = mergeJobStatus(row ? { state: row.state, reason: row.reason, exit: decodeWaitStatus(row.rawExitCode ?? 0) } : undefined, wrapper);
    const end: AttemptEnd = toAttemptEnd({ job: t.job.name, attempt: t.attempt }, merged, now)
      ?? { job: t.job.name, attempt: t.attempt, state: 'lost', exitCode: null, signal: null, endedAt: now, reason: `Slurm no longer knows job ${t.jobId} and it left no exit status` };
    if (end.blocked === true) {
      this.finish(t, 'pruned');
      this.doom(t.job.name);
      return;
    }
    if (wrapper !== undefined || merged.state === 'FAILED' || merged.state === 'SUCCEEDED') this.markStarted(t, row, wrapper);
    if (end.state === 'succeeded') {
      this.options.recorder.attemptEnded(end);
      this.finish(t, 'succeeded');
      return;
    }
    let final = end;
    if (end.state === 'failed' && t.retriesLeft > 0 && isRetryable(t.job.resources, end)) {
      const retried = await this.retry(t, end, merged.slurmState);
      if (retried === true) return;
      final = { ...end, reason: `${end.reason ?? 'failed'}; its retry could not be submitted: ${retried}` };
    }
    if (t.started) this.options.recorder.attemptEnded(final);
    if (end.state === 'failed') this.options.log.warn({ job: t.job.name, attempt: t.attempt, exitCode: end.exitCode, signal: end.signal, reason: final.reason }, `job ${t.job.name} failed`);
    this.finish(t, end.state);
    // A cancelled job's children are cancelled with the run, or (one cancelled job) show up
    // blocked and are pruned then: only a failure dooms them here.
    if (end.state !== 'deleted') this.doom(t.job.name);
  }

  /** Submits the next attempt and points the queued children at it; why not, when sbatch refused. */
  private async retry(t: Tracked, end: AttemptEnd, slurmState: string | null): Promise<true | string> {
    const { workflow, log } = this.options;
    const memoryMiB = nextMemory(t.job.resources, t.memoryMiB, isOutOfMemoryEnd(end, slurmState) ? { exitCode: null, signal: 'SIGKILL' } : end);
    const attempt = t.attempt + 1;
    let jobId: string;
    try {
      jobId = await submitRetry({ workflow, job: t.job, settings: this.settings, attempt, memoryMiB });
    } catch (err) {
      // e.g. more memory than any node has: the job fails for good, with sbatch's message.
      log.error({ job: t.job.name, attempt, memoryMiB, err: String(err) }, `Slurm site: the retry of job ${t.job.name} could not be submitted`);
      return (err as Error).message;
    }
    this.options.recorder.attemptEnded(end);
    log.warn({ job: t.job.name, attempt: t.attempt, exitCode: end.exitCode, signal: end.signal, nextMemoryMiB: memoryMiB, jobId }, `job ${t.job.name} failed; retrying`);
    Object.assign(t, { jobId, attempt, memoryMiB, started: false, misses: 0, retriesLeft: t.retriesLeft - 1 });
    this.setState(t, 'ready');
    await this.pointChildrenAt(t.job.name);
    return true;
  }

  private async pointChildrenAt(parent: string): Promise<void> {
    const updates: DependencyUpdate[] = [];
    for (const child of this.children.get(parent) ?? []) {
      const c = this.tracked.get(child.name);
      if (c === undefined || c.final || c.started) continue;
      updates.push({ job: child.name, jobId: c.jobId, ...dependenciesOf(child, (p) => this.tracked.get(p)?.jobId) });
      this.updated.add(child.name);
    }
    if (updates.length === 0) return;
    const pending = new Map<string, number>();
    for (const t of this.tracked.values()) {
      const array = arrayIdOf(t.jobId);
      if (array !== undefined && !t.final && !t.started) pending.set(array, (pending.get(array) ?? 0) + 1);
    }
    await updateDependencies({ updates, pendingTasksOf: (a) => pending.get(a) ?? 0, log: this.options.log });
  }

  /** A job blocked although the follower expected no failed parent: re-issue its dependencies, a few times. */
  private async repairBlocked(blocked: readonly Tracked[]): Promise<void> {
    for (const t of blocked) {
      if (t.final || this.updated.has(t.job.name)) continue;
      const failedParent = t.job.parents.some((p) => this.tracked.get(p)?.final === true && this.tracked.get(p)?.state !== 'succeeded');
      if (failedParent || ++t.repairs > MAX_DEPENDENCY_REPAIRS) {
        this.options.log.warn({ job: t.job.name, jobId: t.jobId }, `Slurm site: job ${t.job.name} is blocked by a failed parent; pruning it`);
        this.finish(t, 'pruned');
        this.toCancel.push(t.jobId);
        this.doom(t.job.name);
        continue;
      }
      await updateDependencies({ updates: [{ job: t.job.name, jobId: t.jobId, ...dependenciesOf(t.job, (p) => this.tracked.get(p)?.jobId) }], pendingTasksOf: () => 0, log: this.options.log });
    }
  }

  /** Prunes the queued descendants of a job that ended for good (through `afterok` edges); cancels them at the end of the round. */
  private doom(name: string): void {
    for (const child of this.children.get(name) ?? []) {
      const c = this.tracked.get(child.name);
      if (child.runAlways || c === undefined || c.final || c.started) continue;
      this.finish(c, 'pruned');
      this.toCancel.push(c.jobId);
      this.doom(child.name);
    }
  }

  private async cancelDoomed(): Promise<void> {
    if (this.toCancel.length === 0) return;
    const ids = this.toCancel.splice(0);
    try {
      await cancelJobs({ jobIds: ids });
    } catch (err) {
      this.options.log.warn({ jobs: ids.length, err: String(err) }, 'Slurm site: could not cancel pruned jobs; trying again next round');
      this.toCancel.push(...ids);
    }
  }

  /** Releases held jobs (the final job) once every parent has ended for good. */
  private async releaseHeld(): Promise<void> {
    const ready = [...this.tracked.values()].filter((t) => t.held && !t.final && !t.started && t.job.parents.every((p) => this.tracked.get(p)?.final !== false));
    if (ready.length === 0) return;
    // Every parent has ended for good (or was done before): nothing can make it wait any more.
    try {
      await releaseJobs({ jobIds: ready.map((t) => t.jobId) });
      for (const t of ready) t.held = false;
    } catch (err) {
      this.options.log.warn({ jobs: ready.map((t) => t.job.name), err: String(err) }, 'Slurm site: could not release held jobs; trying again next round');
    }
  }

  private markStarted(t: Tracked, row: SqueueRow | undefined, wrapper: WrapperStatus | undefined): void {
    if (t.started) return;
    t.started = true;
    this.options.recorder.attemptStarted({
      job: t.job.name, attempt: t.attempt, host: wrapper?.host ?? (row?.nodeList || hostname()), pid: null, pidStart: null, siteJobId: t.jobId, memoryMiB: t.memoryMiB,
      startedAt: wrapper?.startedAt ?? parseSlurmTime(row?.startTime ?? null) ?? Date.now(), ...attemptLogPaths(this.options.workflow.submitPath, t.job, t.attempt),
    });
  }

  private setState(t: Tracked, state: JobState): void {
    if (t.state === state) return;
    t.state = state;
    this.options.recorder.setJobState(t.job.name, state);
  }

  private finish(t: Tracked, state: JobState): void {
    t.final = true;
    this.setState(t, state);
  }
}
