import { hostname } from 'node:os';
import type { GenericWorkflowJob } from '../../workflow/index.js';
import { resolveJobLogPaths } from '../../workflow/index.js';
import type { AttemptEndState, SubmitOptions, SubmitResult } from '../site-plugin.js';
import { isRetryable, nextMemory } from './next-attempt.js';
import type { LocalSiteSettings } from './prepare.js';
import { runJobCommands, type JobExit } from './run-job.js';

type Status = 'waiting' | 'ready' | 'running' | 'succeeded' | 'failed' | 'pruned' | 'deleted';
const TERMINAL: ReadonlySet<Status> = new Set(['succeeded', 'failed', 'pruned', 'deleted']);

/** Attempt log files: `<job>.out` for the first attempt, `<job>.<n>.out` for later ones. */
export function attemptLogPaths(submitPath: string, job: GenericWorkflowJob, attempt: number): { stdout: string; stderr: string } {
  const base = resolveJobLogPaths(submitPath, job);
  if (attempt <= 1) return base;
  const suffix = (p: string): string => p.replace(/\.(out|err)$/, `.${attempt}.$1`);
  return { stdout: suffix(base.stdout), stderr: suffix(base.stderr) };
}

/**
 * Runs a workflow on this machine: jobs as process groups, at most `maxJobs` at once, each
 * once its parents succeeded (the final job once they all ended), retried per its resources,
 * memory scaled after out-of-memory kills. Every state change goes to the recorder at once,
 * so a killed driver loses nothing it had seen. Returns when nothing more can run.
 */
export async function submitLocal(options: SubmitOptions): Promise<SubmitResult> {
  const { workflow, recorder, log } = options;
  const settings = options.prepared.settings as unknown as LocalSiteSettings;
  const host = hostname();
  const jobs = new Map(workflow.jobs.map((j) => [j.name, j]));
  const children = new Map<string, string[]>();
  for (const j of workflow.jobs) for (const p of j.parents) children.set(p, [...(children.get(p) ?? []), j.name]);
  const status = new Map<string, Status>(workflow.jobs.map((j) => [j.name, options.done?.has(j.name) ? 'succeeded' : 'waiting']));
  const attempts = new Map(options.previousAttempts ?? []);
  const memory = new Map(options.memoryMiB ?? []);
  const retriesLeft = new Map(workflow.jobs.map((j) => [j.name, j.resources.numberOfRetries]));
  const queue: string[] = [];
  const abort = new AbortController();
  const stopAll = (): void => abort.abort();
  options.signal?.addEventListener('abort', stopAll, { once: true });
  if (options.signal?.aborted) abort.abort();

  const setStatus = (name: string, s: Status): void => {
    status.set(name, s);
    if (s !== 'waiting') recorder.setJobState(name, s);
  };
  const evaluate = (name: string): void => {
    if (status.get(name) !== 'waiting') return;
    const job = jobs.get(name)!;
    const parents = job.parents.map((p) => status.get(p) ?? 'succeeded');
    if (parents.some((s) => !TERMINAL.has(s))) return;
    if (job.runAlways || parents.every((s) => s === 'succeeded')) {
      setStatus(name, 'ready');
      queue.push(name);
    } else {
      setStatus(name, 'pruned');
      for (const c of children.get(name) ?? []) evaluate(c);
    }
  };

  let running = 0;
  let wake: (() => void) | undefined;
  const launch = (name: string): void => {
    const job = jobs.get(name)!;
    const attempt = (attempts.get(name) ?? 0) + 1;
    attempts.set(name, attempt);
    const mem = memory.get(name) ?? job.resources.requestMemory;
    const logs = attemptLogPaths(workflow.submitPath, job, attempt);
    setStatus(name, 'running');
    running++;
    let started = false;
    const startedAt = Date.now();
    void runJobCommands({
      commands: job.commands,
      cwd: settings.cwd,
      stdout: logs.stdout,
      stderr: logs.stderr,
      env: { BPS_TS_JOB_NAME: name, BPS_TS_JOB_ATTEMPT: String(attempt), BPS_TS_JOB_MEMORY_MIB: String(mem), BPS_TS_RUN: workflow.name },
      signal: abort.signal,
      killGraceMs: settings.killGraceSeconds * 1000,
      // Once per command: the recorder keeps the latest process of the attempt.
      onSpawn: (pid, pidStart) => {
        started = true;
        recorder.attemptStarted({ job: name, attempt, host, pid, pidStart, siteJobId: null, memoryMiB: mem, startedAt, ...logs });
      },
    }).then(
      (exit) => finish(job, attempt, mem, exit, started, startedAt, logs),
      (err: unknown) => finish(job, attempt, mem, { exitCode: 127, signal: null, spawnError: String(err) }, started, startedAt, logs),
    );
  };
  const finish = (job: GenericWorkflowJob, attempt: number, mem: number, exit: JobExit, started: boolean, startedAt: number, logs: { stdout: string; stderr: string }): void => {
    running--;
    if (!started) recorder.attemptStarted({ job: job.name, attempt, host, pid: null, pidStart: null, siteJobId: null, memoryMiB: mem, startedAt, ...logs });
    const ok = exit.exitCode === 0 && exit.signal === null;
    const state: AttemptEndState = ok ? 'succeeded' : abort.signal.aborted ? 'deleted' : 'failed';
    recorder.attemptEnded({ job: job.name, attempt, state, exitCode: exit.exitCode, signal: exit.signal, endedAt: Date.now(), ...(exit.spawnError ? { reason: exit.spawnError } : {}) });
    if (ok) {
      setStatus(job.name, 'succeeded');
      for (const c of children.get(job.name) ?? []) evaluate(c);
    } else if (state === 'deleted') {
      setStatus(job.name, 'deleted');
    } else if ((retriesLeft.get(job.name) ?? 0) > 0 && isRetryable(job.resources, exit)) {
      retriesLeft.set(job.name, (retriesLeft.get(job.name) ?? 0) - 1);
      memory.set(job.name, nextMemory(job.resources, mem, exit));
      log.warn({ job: job.name, attempt, exitCode: exit.exitCode, signal: exit.signal, stderr: logs.stderr }, `job ${job.name} failed; retrying`);
      setStatus(job.name, 'ready');
      queue.unshift(job.name);
    } else {
      log.warn({ job: job.name, attempt, exitCode: exit.exitCode, signal: exit.signal, stderr: logs.stderr }, `job ${job.name} failed`);
      setStatus(job.name, 'failed');
      for (const c of children.get(job.name) ?? []) evaluate(c);
    }
    wake?.();
  };

  const siteRunId = `local:${host}:${process.pid}`;
  options.onStarted?.(siteRunId);
  for (const j of workflow.jobs) evaluate(j.name);
  for (;;) {
    if (abort.signal.aborted) {
      for (const name of queue.splice(0)) setStatus(name, 'deleted');
      for (const [name, s] of status) if (s === 'waiting') setStatus(name, 'deleted');
    }
    while (!abort.signal.aborted && running < settings.maxJobs && queue.length > 0) launch(queue.shift()!);
    if (running === 0) break;
    await new Promise<void>((r) => (wake = r));
    wake = undefined;
    if (abort.signal.aborted) continue;
  }
  options.signal?.removeEventListener('abort', stopAll);
  return { siteRunId, finished: true };
}
