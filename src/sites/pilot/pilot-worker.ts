import { hostname } from 'node:os';
import type { Logger } from '../../util/index.js';
import { CoordinatorClient } from './coordinator-client.js';
import { readCoordinatorFile } from './coordinator-file.js';
import { PILOT_PROTOCOL_VERSION, type ExchangeResponse, type PilotWorkerInfo } from './pilot-protocol.js';
import type { RunPilotJob } from './run-job-process.js';
import { WorkerJobs } from './worker-jobs.js';

/** Options of {@link runPilotWorker}. */
export interface PilotWorkerOptions {
  readonly submitPath: string;
  readonly blockId: string;
  /** Cores and memory (MiB) this worker packs jobs into. */
  readonly cpus: number;
  readonly memoryMiB: number;
  /** When the block ends (epoch ms), if known. */
  readonly endsAt: number | null;
  /** Runs one job (see `runJobProcesses`). */
  readonly runJob: RunPilotJob;
  readonly log: Logger;
  /** Aborting stops the worker: its jobs are killed and reported lost, then it exits. */
  readonly signal?: AbortSignal;
  /** Seconds between SIGTERM and SIGKILL when a job is stopped (default 5). */
  readonly killGraceSeconds?: number;
  /** Stop after this long without reaching any coordinator (default 600 s). */
  readonly orphanSeconds?: number;
}

/** How a worker ended. */
export interface PilotWorkerSummary {
  readonly workerId: string;
  /** Results reported. */
  readonly jobs: number;
  readonly reason: 'stopped' | 'signalled' | 'orphaned';
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * A pilot worker: pulls jobs from the coordinator named in `<submit>/pilot/coordinator.json`
 * and runs them with `runJob`, packed into its cores and memory. Requests go one at a time;
 * each carries the results not yet acknowledged and the leases held, and doubles as heartbeat.
 * With room and nothing to report the worker long-polls; a result ends the poll at once. When
 * the coordinator cannot be reached the worker keeps its running jobs, starts no new ones and
 * re-reads the coordinator file (a restarted coordinator listens elsewhere).
 */
export async function runPilotWorker(options: PilotWorkerOptions): Promise<PilotWorkerSummary> {
  const host = hostname();
  const info: PilotWorkerInfo = { id: `${options.blockId}.${host}.${process.pid}`, blockId: options.blockId, host, pid: process.pid, cpus: options.cpus, memoryMiB: options.memoryMiB, endsAt: options.endsAt };
  const log = options.log.child({ worker: info.id });
  let wake: (() => void) | undefined;
  const notify = (): void => wake?.();
  const jobs = new WorkerJobs({ cpus: options.cpus, memoryMiB: options.memoryMiB, runJob: options.runJob, killGraceMs: (options.killGraceSeconds ?? 5) * 1000, baseEnv: process.env, log, onResult: notify });
  const orphanMs = (options.orphanSeconds ?? 600) * 1000;
  let heartbeatMs = 5000;
  let prefetch = 0;
  let seq = 0;
  let client: CoordinatorClient | undefined;
  let lastContact = Date.now();
  let lastSent = 0;
  let backoff = 100;
  let stopping = false;
  let reason = 'stopped' as PilotWorkerSummary['reason'];
  let reported = 0;
  const onSignal = (): void => {
    if (stopping) return;
    stopping = true;
    reason = 'signalled';
    log.warn('pilot worker: stopping (signal); its jobs are given back to the coordinator');
    jobs.stopAll(`worker ${info.id} on ${host} was stopped (its block ended or was cancelled)`);
    notify();
  };
  options.signal?.addEventListener('abort', onSignal, { once: true });
  if (options.signal?.aborted === true) onSignal();
  const apply = (r: ExchangeResponse): void => {
    heartbeatMs = r.heartbeatMs;
    prefetch = r.prefetch;
    if (r.cancel.length > 0) jobs.cancel(r.cancel);
    if (r.stop && !stopping) {
      stopping = true;
      jobs.stopAll('the coordinator ended the run');
    }
    if (!stopping) jobs.add(r.jobs);
  };
  log.info({ cpus: options.cpus, memoryMiB: options.memoryMiB, endsAt: options.endsAt }, 'pilot worker started');
  try {
    for (;;) {
      if (stopping && jobs.runningCount === 0 && jobs.outbox.length === 0) break;
      if (client === undefined) {
        const file = readCoordinatorFile(options.submitPath);
        if (file !== undefined) client = new CoordinatorClient(file);
        else if (Date.now() - lastContact > orphanMs || (stopping && reason === 'signalled')) {
          if (!stopping) reason = 'orphaned';
          break;
        } else {
          await sleep(backoff);
          backoff = Math.min(backoff * 2, 2000);
          continue;
        }
      }
      const wait = !stopping && jobs.outbox.length === 0 && jobs.wantsWork(prefetch);
      const due = seq === 0 || jobs.outbox.length > 0 || wait || Date.now() - lastSent >= heartbeatMs / 2 || (stopping && jobs.runningCount === 0);
      if (!due) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, heartbeatMs / 2 - (Date.now() - lastSent));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
        continue;
      }
      const results = jobs.outbox.slice();
      const abort = new AbortController();
      // A long poll is given up as soon as there is a result to send, or the worker must stop.
      if (wait) wake = () => abort.abort();
      lastSent = Date.now();
      try {
        const response = await client.exchange(
          { version: PILOT_PROTOCOL_VERSION, seq: ++seq, worker: info, holding: jobs.holding(), results, wait, cpuSeconds: cpuSeconds() },
          { signal: abort.signal, timeoutMs: (wait ? heartbeatMs : 0) + 30_000 },
        );
        wake = undefined;
        lastContact = Date.now();
        backoff = 100;
        jobs.outbox.splice(0, results.length);
        reported += results.length;
        jobs.paused = false;
        apply(response);
      } catch (err) {
        wake = undefined;
        if (abort.signal.aborted) continue;
        jobs.paused = true;
        client.close();
        client = undefined;
        if (stopping && reason === 'signalled') break;
        if (Date.now() - lastContact > orphanMs) {
          reason = 'orphaned';
          break;
        }
        log.warn({ err: (err as Error).message }, 'pilot worker: coordinator unreachable; trying again');
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 2000);
      }
    }
  } finally {
    options.signal?.removeEventListener('abort', onSignal);
    client?.close();
  }
  if (reason === 'orphaned') {
    log.warn({ orphanSeconds: orphanMs / 1000 }, 'pilot worker: no coordinator for too long; stopping');
    jobs.stopAll('no coordinator');
    await jobs.drained();
  }
  log.info({ jobs: reported, reason }, 'pilot worker stopped');
  return { workerId: info.id, jobs: reported, reason };
}
