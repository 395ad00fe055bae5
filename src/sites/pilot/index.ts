/**
 * Pilot site: Parsl-style Slurm allocations ("blocks") whose workers, one or more per node,
 * pull jobs from a coordinator running in the bps-ts driver.
 *
 * Transport: HTTP/1.1 with keep-alive and JSON (`node:http`), served by the coordinator. It
 * works across the hosts of a cluster network, needs no database or broker beyond the driver,
 * and answers in well under a millisecond on a LAN. A worker sends one request at a time,
 * which is at once heartbeat, batch of results and request for a batch of jobs; with room and
 * nothing to say it long-polls, so the request rate stays near one per heartbeat per idle
 * worker and one per batch of results per busy one. The coordinator writes its URL and a
 * random bearer token to `<submit>/pilot/coordinator.json` (mode 0600); workers re-read it
 * when the coordinator goes away, so a restarted coordinator on a new port is found.
 *
 * Persistence: every job state change goes to the run's `JobRecorder` (the run-state
 * SQLite store), so report, status, restart and cancel work as for other sites; blocks,
 * workers and runtime estimates go to `<submit>/pilot/pilot-state.json`, which a restarted
 * coordinator reads to adopt the blocks still alive.
 *
 * Scheduling: dependency-aware ready queue; jobs packed into workers by cores and memory;
 * retries per `numberOfRetries`/`retryUnlessExit` with memory scaled after out-of-memory kills;
 * a silent worker's jobs requeued (`workerLossRetries`); no job started on a block whose
 * walltime ends before the job's per-label runtime estimate; blocks scaled between
 * `minBlocks` and `maxBlocks` with the load and released when idle.
 * @packageDocumentation
 */
/** The pilot site plugin and its stages. */
export { pilotSite } from './pilot-site.js';
export { preparePilot, readPreparedPilot } from './prepare.js';
export type { PreparedPilotSettings } from './prepare.js';
export { submitPilot } from './submit.js';
export { statusPilot } from './status.js';
export { cancelPilot } from './cancel.js';
export { pingPilot } from './ping.js';
export { detailsPilot } from './details.js';
/** Settings (`site.<computeSite>.*`). */
export { readPilotSettings, workerShare } from './pilot-settings.js';
export type { PilotSiteSettings } from './pilot-settings.js';
/** The coordinator: the run loop, the scheduling core and the HTTP server. */
export { pilotRunId, runPilotCoordinator } from './run-coordinator.js';
export { PilotScheduler } from './pilot-scheduler.js';
export type { Lease, PilotSchedulerOptions, WorkerSlot } from './pilot-scheduler.js';
export { Coordinator } from './coordinator.js';
export { startCoordinatorService } from './coordinator-service.js';
export type { CoordinatorService, CoordinatorServiceOptions, CoordinatorSettings } from './coordinator-service.js';
export type { CoordinatorOptions } from './coordinator.js';
export { startCoordinatorServer } from './coordinator-server.js';
export type { CoordinatorServer, CoordinatorServerOptions } from './coordinator-server.js';
export { WorkerRegistry, WorkerState } from './worker-registry.js';
export type { WorkerRecord } from './worker-registry.js';
export { planBlocks } from './plan-blocks.js';
export type { BlockPlan, BlockPlanInput, PlannedBlock } from './plan-blocks.js';
export { ReadyQueue } from './ready-queue.js';
export { RuntimeEstimates } from './runtime-estimates.js';
/** Blocks: batch script and Slurm operations. */
export { blockJobName, renderBlockScript } from './block-script.js';
export type { BlockScriptOptions } from './block-script.js';
export { BlockManager } from './block-manager.js';
/** Files under `<submit>/pilot/`. */
export { pilotPaths } from './pilot-paths.js';
export { makeToken, readCoordinatorFile, removeCoordinatorFile, writeCoordinatorFile } from './coordinator-file.js';
export type { CoordinatorInfo } from './coordinator-file.js';
export { BlockState, formatPilotTables, readPilotState, writePilotState } from './pilot-state-file.js';
export type { BlockRecord, PilotStateDoc } from './pilot-state-file.js';
/** The worker and the protocol it speaks. */
export { runPilotWorker } from './pilot-worker.js';
export type { PilotWorkerOptions, PilotWorkerSummary } from './pilot-worker.js';
export { runJobProcesses } from './run-job-process.js';
export { createJobThreadPool } from './job-thread-pool.js';
export type { JobThreadPool, JobThreadPoolOptions } from './job-thread-pool.js';
export type { PilotJobExit, PilotJobIo, RunPilotJob } from './run-job-process.js';
export { callCoordinator, CoordinatorClient, CoordinatorUnreachableError } from './coordinator-client.js';
export { isCoordinatorAlive } from './coordinator-probe.js';
export { leaseId, parseExchangeRequest, PILOT_PROTOCOL_VERSION } from './pilot-protocol.js';
export type { ExchangeRequest, ExchangeResponse, PilotJobResult, PilotJobSpec, PilotWorkerInfo } from './pilot-protocol.js';
