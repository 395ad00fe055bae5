import { hostname } from 'node:os';
import { readProcessStart } from '../local/index.js';
import type { SubmitOptions } from '../site-plugin.js';
import { Coordinator } from './coordinator.js';
import { makeToken, removeCoordinatorFile, writeCoordinatorFile, type CoordinatorInfo } from './coordinator-file.js';
import { startCoordinatorServer, type CoordinatorServer } from './coordinator-server.js';
import { PilotScheduler } from './pilot-scheduler.js';
import { workerShare } from './pilot-settings.js';
import type { PreparedPilotSettings } from './prepare.js';
import { WorkerRegistry, type WorkerRecord } from './worker-registry.js';

/** Settings the coordinator itself needs (the rest concern blocks). */
export type CoordinatorSettings = Pick<PreparedPilotSettings,
  'runName' | 'cwd' | 'coresPerNode' | 'memoryPerNode' | 'workersPerNode' | 'workerLossRetries' | 'walltimeMarginSeconds' | 'heartbeatSeconds' | 'prefetch' | 'listenAddress' | 'advertiseAddress' | 'port'>;

/** Options of {@link startCoordinatorService}. */
export interface CoordinatorServiceOptions {
  readonly submit: Pick<SubmitOptions, 'workflow' | 'recorder' | 'done' | 'previousAttempts' | 'memoryMiB' | 'log'>;
  readonly settings: CoordinatorSettings;
  /** Workers of an earlier coordinator of the run (shown in reports until they speak again). */
  readonly restoredWorkers?: readonly WorkerRecord[];
  readonly siteJobIdOf?: (blockId: string) => string | null;
  readonly onBlockConnected?: (blockId: string) => void;
  /** `bps-ts cancel` asked the coordinator to stop the run. */
  readonly onCancel?: () => void;
}

/** A listening coordinator with its scheduler and workers. */
export interface CoordinatorService {
  readonly scheduler: PilotScheduler;
  readonly registry: WorkerRegistry;
  readonly coordinator: Coordinator;
  /** What `<submit>/pilot/coordinator.json` says. */
  readonly info: CoordinatorInfo;
  /** Ends a worker as lost; its jobs are queued again. */
  loseWorker(worker: WorkerRecord, reason: string): void;
  /** Declares the workers silent past `timeoutMs` lost; returns them. */
  checkHeartbeats(now: number, timeoutMs: number): WorkerRecord[];
  /** Tells every worker to stop and waits (at most `maxWaitMs`) until each has heard it. */
  stopWorkers(maxWaitMs: number): Promise<void>;
  /** Closes the server and removes the coordinator file. */
  close(): Promise<void>;
}

/**
 * Starts the coordinator of a run: the scheduling core fed with the run's jobs, the HTTP
 * server, and the coordinator file (URL and fresh bearer token, 0600) the workers read.
 */
export async function startCoordinatorService(options: CoordinatorServiceOptions): Promise<CoordinatorService> {
  const { settings } = options;
  const { workflow, log } = options.submit;
  const heartbeatMs = settings.heartbeatSeconds * 1000;
  const scheduler = new PilotScheduler({
    workflow, recorder: options.submit.recorder, done: options.submit.done, previousAttempts: options.submit.previousAttempts, memoryMiB: options.submit.memoryMiB,
    maxWorker: workerShare(settings), workerLossRetries: settings.workerLossRetries, walltimeMarginMs: settings.walltimeMarginSeconds * 1000, cwd: settings.cwd, log,
  });
  const registry = new WorkerRegistry();
  registry.restore(options.restoredWorkers ?? []);
  const coordinator = new Coordinator({
    scheduler, registry, heartbeatMs, prefetch: settings.prefetch, log,
    siteJobIdOf: options.siteJobIdOf ?? (() => null),
    ...(options.onBlockConnected !== undefined ? { onBlockConnected: options.onBlockConnected } : {}),
  });
  scheduler.dag.onReady = () => coordinator.wake();
  scheduler.start();
  const token = makeToken();
  const startedAt = Date.now();
  const server: CoordinatorServer = await startCoordinatorServer({
    host: settings.listenAddress, port: settings.port, token, log,
    exchange: (req, whenClosed) => coordinator.exchange(req, whenClosed),
    onCancel: () => options.onCancel?.(),
    describe: () => ({ run: settings.runName, pid: process.pid, startedAt, ...scheduler.load() }),
  });
  const listen = settings.listenAddress;
  const advertised = settings.advertiseAddress ?? (listen === '0.0.0.0' || listen === '::' ? hostname() : listen);
  const url = `http://${advertised.includes(':') ? `[${advertised}]` : advertised}:${server.port}`;
  const info: CoordinatorInfo = { version: 1, run: settings.runName, url, token, host: hostname(), pid: process.pid, pidStart: readProcessStart(process.pid), startedAt };
  writeCoordinatorFile(workflow.submitPath, info);
  const loseWorker = (w: WorkerRecord, reason: string): void => {
    registry.end(w.id, 'lost', reason);
    for (const lease of scheduler.leasesOf(w.id)) scheduler.lose(lease.id, reason);
  };
  return {
    scheduler, registry, coordinator, info, loseWorker,
    checkHeartbeats(now, timeoutMs) {
      const silent = registry.silent(now, timeoutMs);
      for (const w of silent) loseWorker(w, `worker ${w.id} on ${w.host} was silent for ${Math.round((now - w.lastSeen) / 1000)} s`);
      return silent;
    },
    async stopWorkers(maxWaitMs) {
      coordinator.stop();
      const stopAt = Date.now();
      while (Date.now() - stopAt < maxWaitMs && registry.all().some((w) => w.state === 'active' && w.lastSeen < stopAt)) await new Promise((r) => setTimeout(r, 50));
    },
    async close() {
      await server.close();
      removeCoordinatorFile(workflow.submitPath, token);
    },
  };
}
