import { SiteError } from '../site-error.js';
import type { SubmitOptions } from '../site-plugin.js';
import { BlockManager } from './block-manager.js';
import { startCoordinatorService } from './coordinator-service.js';
import { planBlocks, type PlannedBlock } from './plan-blocks.js';
import { readPilotState, writePilotState } from './pilot-state-file.js';
import type { PreparedPilotSettings } from './prepare.js';

const TICK_MS = 200;
/** squeue or sbatch failures in a row tolerated (a busy controller) before the run gives up. */
const MAX_SLURM_FAILURES = 5;

/** The site run id of a pilot run. */
export function pilotRunId(runName: string): string {
  return `pilot:${runName}`;
}

/**
 * Runs a pilot workflow to its end in this process (the driver): starts the coordinator's
 * HTTP server and writes `pilot/coordinator.json`, adopts the live blocks of an earlier
 * coordinator of the run, then every tick declares silent workers lost, polls the blocks
 * (one squeue call), scales them with the load and saves `pilot/pilot-state.json`. Aborting
 * `options.signal` (or `bps-ts cancel`) stops the jobs and records them deleted. At the end
 * the workers are told to stop and the blocks are released.
 */
export async function runPilotCoordinator(options: SubmitOptions): Promise<void> {
  const settings = options.prepared.settings as unknown as PreparedPilotSettings;
  const { workflow, log } = options;
  const submitPath = workflow.submitPath;
  const heartbeatMs = settings.heartbeatSeconds * 1000;
  const saved = readPilotState(submitPath);
  const blocks = new BlockManager({ submitPath, runName: settings.runName, comment: settings.comment, cwd: settings.cwd, settings, log, restored: saved?.blocks ?? [] });
  let kick: (() => void) | undefined;
  let cancelRequested = false;
  const service = await startCoordinatorService({
    submit: options, settings, restoredWorkers: saved?.workers ?? [],
    siteJobIdOf: (id) => blocks.get(id)?.slurmJobId ?? null,
    onBlockConnected: (id) => blocks.markConnected(id),
    onCancel: () => {
      cancelRequested = true;
      kick?.();
    },
  });
  const { scheduler, registry, coordinator, info, loseWorker } = service;
  const { url } = info;
  options.onStarted?.(pilotRunId(settings.runName));
  log.info({ url, jobs: workflow.jobs.length, open: scheduler.dag.openJobs, adopted: blocks.active().length }, `pilot coordinator listening on ${url}`);

  const save = (): void => writePilotState(submitPath, {
    version: 1, run: settings.runName, updatedAt: Date.now(), coordinator: { url, host: info.host, pid: info.pid },
    blocks: blocks.all(), workers: registry.all(), estimates: Object.fromEntries(scheduler.estimates.entries()),
  });
  const idleSince = new Map<string, number>();
  let submittedAny = false;
  let slurmFailures = 0;
  let nextPoll = 0;
  let nextPlan = 0;
  let lastSaved = 0;
  let abortDeadline: number | null = null;

  const plan = async (now: number): Promise<void> => {
    const planned: PlannedBlock[] = blocks.active().map((b) => {
      const workers = registry.ofBlock(b.id);
      const busy = workers.some((w) => scheduler.leasesOf(w.id).length > 0);
      if (busy) idleSince.delete(b.id);
      else if (!idleSince.has(b.id)) idleSince.set(b.id, now);
      const drained = b.state === 'running' && !busy && workers.length > 0 && workers.every((w) => w.walltimeBound);
      return { id: b.id, state: b.state === 'pending' ? 'pending' : 'running', idleSince: idleSince.get(b.id) ?? null, drained };
    });
    const decision = planBlocks({ settings, load: scheduler.load(), finished: false, firstRound: !submittedAny && planned.length === 0, blocks: planned, now });
    if (decision.release.length > 0) {
      await blocks.release(decision.release, 'idle, or too close to its walltime for the jobs left');
      for (const id of decision.release) for (const w of registry.ofBlock(id)) registry.end(w.id, 'stopped', 'its block was released');
    }
    for (let i = 0; i < decision.submit; i++) {
      try {
        await blocks.submitBlock();
        submittedAny = true;
        slurmFailures = 0;
      } catch (err) {
        if (!submittedAny || ++slurmFailures >= MAX_SLURM_FAILURES) throw err;
        log.warn({ err: String(err) }, 'pilot: block submission failed; trying again');
        break;
      }
    }
  };

  try {
    for (;;) {
      const now = Date.now();
      if ((options.signal?.aborted === true || cancelRequested) && !scheduler.aborted) {
        log.warn({ leases: scheduler.load().leased }, 'pilot: cancelling the run');
        scheduler.abort();
        coordinator.wakeCancelled();
        abortDeadline = now + settings.killGraceSeconds * 1000 + 2 * heartbeatMs + 2000;
      }
      if (abortDeadline !== null && now > abortDeadline) {
        for (const w of registry.all()) for (const lease of scheduler.leasesOf(w.id)) scheduler.lose(lease.id, `worker ${w.id} did not confirm in time`);
      }
      service.checkHeartbeats(now, settings.heartbeatTimeoutSeconds * 1000);
      if (now >= nextPoll) {
        nextPoll = now + settings.pollSeconds * 1000;
        try {
          for (const b of await blocks.poll()) for (const w of registry.ofBlock(b.id)) loseWorker(w, `its block ${b.id} (Slurm job ${b.slurmJobId}) ended: ${b.reason ?? 'unknown'}`);
          slurmFailures = 0;
        } catch (err) {
          if (++slurmFailures >= MAX_SLURM_FAILURES) throw err;
          log.warn({ err: String(err) }, 'pilot: polling the blocks failed; trying again');
        }
        if (blocks.failedInRow >= settings.maxFailedBlocks) {
          const last = blocks.all().at(-1);
          throw new SiteError(`${blocks.failedInRow} pilot blocks in a row ended before any worker reached the coordinator at ${url}`, { site: 'pilot', hint: `read the block's log ${last?.stderr ?? '(none)'}; check pilotWorkerCommand, workerInit and that the nodes can reach ${url} (listenAddress/advertiseAddress)` });
        }
      }
      if (scheduler.isFinished()) break;
      // Planning looks at the whole ready queue: once a second is enough (blocks take longer to start).
      if (!scheduler.aborted && now >= nextPlan) {
        nextPlan = now + 1000;
        await plan(now);
      }
      if (now - lastSaved >= 1000) {
        save();
        lastSaved = now;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, TICK_MS);
        kick = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      kick = undefined;
    }
  } finally {
    // Workers in the middle of a request get the chance to hear "stop" before their blocks go.
    await service.stopWorkers(Math.min(2000, heartbeatMs));
    try {
      // Blocks whose workers heard "stop" end by themselves (COMPLETED, not CANCELLED in the accounting).
      await blocks.release(blocks.active().filter((b) => !b.connected).map((b) => b.id), 'the run ended');
      for (const until = Date.now() + 3000; blocks.active().length > 0 && Date.now() < until; ) {
        await new Promise((r) => setTimeout(r, 250));
        await blocks.poll();
      }
      await blocks.release(blocks.active().map((b) => b.id), 'the run ended');
    } catch (err) {
      log.error({ err: String(err) }, `pilot: could not release the blocks; cancel them with scancel (comment ${settings.comment})`);
    }
    for (const w of registry.all()) registry.end(w.id, 'stopped', 'the run ended');
    await service.close();
    save();
  }
}
