import { readFileSync, writeFileSync } from 'node:fs';
import type { GenericWorkflowJob } from '../../../src/workflow/index.js';
import { pilotPaths, runPilotWorker, startCoordinatorService, type CoordinatorService, type CoordinatorSettings, type PilotWorkerSummary, type RunPilotJob } from '../../../src/sites/pilot/index.js';
import { createSilentLogger } from '../../../src/util/index.js';
import { makeWorkflow, MemoryRecorder } from '../site-fixtures.js';

export const log = createSilentLogger();
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Coordinator settings for loopback tests: quick heartbeats. */
export const LOOPBACK_SETTINGS: CoordinatorSettings = {
  runName: 'loopback', cwd: '/tmp', coresPerNode: 4, memoryPerNode: 8000, workersPerNode: 1, workerLossRetries: 2,
  walltimeMarginSeconds: 0, heartbeatSeconds: 0.3, prefetch: 0, listenAddress: '127.0.0.1', advertiseAddress: null, port: 0,
};

/** A coordinator on loopback with a tick loop declaring silent workers lost, as the site runs it. */
export interface Harness {
  readonly service: CoordinatorService;
  readonly recorder: MemoryRecorder;
  readonly submitPath: string;
  /** Resolves when every job has ended (or rejects after `timeoutMs`). */
  finished(timeoutMs?: number): Promise<void>;
  /** Tells workers to stop and closes the coordinator. */
  close(): Promise<void>;
  /** Closes the coordinator without a word to the workers, leaving its file behind (a killed driver). */
  crash(): Promise<void>;
}

export async function startHarness(jobs: readonly GenericWorkflowJob[], options: { settings?: Partial<CoordinatorSettings>; heartbeatTimeoutMs?: number; submitPath?: string; previousAttempts?: Map<string, number> } = {}): Promise<Harness> {
  const workflow = makeWorkflow(jobs, options.submitPath);
  const recorder = new MemoryRecorder();
  const service = await startCoordinatorService({
    submit: { workflow, recorder, log, ...(options.previousAttempts ? { previousAttempts: options.previousAttempts } : {}) },
    settings: { ...LOOPBACK_SETTINGS, ...options.settings },
  });
  let stopped = false;
  const tick = (async () => {
    while (!stopped) {
      service.checkHeartbeats(Date.now(), options.heartbeatTimeoutMs ?? 1500);
      await sleep(50);
    }
  })();
  return {
    service, recorder, submitPath: workflow.submitPath,
    async finished(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!service.scheduler.isFinished()) {
        if (Date.now() > deadline) throw new Error(`run not finished after ${timeoutMs} ms: ${JSON.stringify(Object.fromEntries(recorder.states))}`);
        await sleep(20);
      }
    },
    async close() {
      stopped = true;
      await tick;
      await service.stopWorkers(1000);
      await service.close();
    },
    async crash() {
      stopped = true;
      await tick;
      const file = pilotPaths(workflow.submitPath).coordinator;
      const text = readFileSync(file, 'utf8');
      await service.close();
      writeFileSync(file, text, { mode: 0o600 });
    },
  };
}

/** An in-process worker of the harness's run. */
export function startWorker(h: Harness, options: { runJob: RunPilotJob; cpus?: number; memoryMiB?: number; blockId?: string; signal?: AbortSignal; endsAt?: number | null }): Promise<PilotWorkerSummary> {
  return runPilotWorker({
    submitPath: h.submitPath, blockId: options.blockId ?? 'b1', cpus: options.cpus ?? 1, memoryMiB: options.memoryMiB ?? 4000, endsAt: options.endsAt ?? null,
    runJob: options.runJob, log, killGraceSeconds: 1, orphanSeconds: 30, ...(options.signal ? { signal: options.signal } : {}),
  });
}
