import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError, expandCommand, searchBoolean, searchList, searchNumber, searchString, searchWalltime, type BpsConfig } from '../../config/index.js';

/** Settings of the pilot site, read from `site.<computeSite>.*` (then the usual search order). */
export interface PilotSiteSettings {
  /** Nodes of one block (one Slurm allocation). */
  readonly nodesPerBlock: number;
  /** Cores the block asks for on each node; jobs are packed into them by `requestCpus`. */
  readonly coresPerNode: number;
  /** Memory the block asks for on each node, MiB; jobs are packed into it by `requestMemory`. */
  readonly memoryPerNode: number;
  /** Wall-time limit of a block, seconds. */
  readonly blockWalltime: number;
  readonly minBlocks: number;
  readonly maxBlocks: number;
  /** Blocks submitted when the run starts (at most `maxBlocks`). */
  readonly initBlocks: number;
  /** Worker processes per node; each gets an equal share of the node's cores and memory. */
  readonly workersPerNode: number;
  /** Shell lines run in the block script before the workers start (`source setup.sh`, ...). */
  readonly workerInit: readonly string[];
  /** How a node starts `bps-ts` (the worker is its hidden `_pilot-worker` command). */
  readonly workerCommand: readonly string[];
  /** Workers run `qg run-qbb` jobs inside their own process (no process start per job). */
  readonly inProcessQbb: boolean;
  readonly partition: string | null;
  readonly account: string | null;
  readonly qos: string | null;
  readonly constraint: string | null;
  /** Address the coordinator listens on; `0.0.0.0` on a cluster whose nodes must reach the submit host. */
  readonly listenAddress: string;
  /** Host name or address the workers connect to; null: the listen address, or this host's name when it is `0.0.0.0`. */
  readonly advertiseAddress: string | null;
  /** TCP port of the coordinator (0: any free port, written to the coordinator file). */
  readonly port: number;
  /** A worker talks to the coordinator at least this often (long-poll length). */
  readonly heartbeatSeconds: number;
  /** A worker silent this long is lost: its jobs are requeued. */
  readonly heartbeatTimeoutSeconds: number;
  /** A block without jobs this long, while nothing waits to run, is released. */
  readonly idleSeconds: number;
  /** Seconds between squeue polls of the run's blocks. */
  readonly pollSeconds: number;
  /** Seconds between SIGTERM and SIGKILL when a job is stopped. */
  readonly killGraceSeconds: number;
  /** Times a job is requeued after losing its worker before it counts as failed. */
  readonly workerLossRetries: number;
  /** Jobs a worker holds beyond what fits its cores and memory, started as soon as room frees. */
  readonly prefetch: number;
  /** A job starts on a block only if its label's runtime estimate plus this margin fits before the block's end. */
  readonly walltimeMarginSeconds: number;
  /** A worker that cannot reach any coordinator this long stops (its block ends). */
  readonly workerOrphanSeconds: number;
  /** Blocks in a row that end before any worker reached the coordinator before the run fails. */
  readonly maxFailedBlocks: number;
}

function optionalString(config: BpsConfig, key: string): string | null {
  const v = searchString(config, key);
  return v === undefined || v.trim() === '' ? null : v.trim();
}

/** `bps-ts` next to this module (dist/) or, when running from src/ (tests), the built one. */
export function findBpsTsScript(): string {
  const sibling = fileURLToPath(new URL('../../cli/bps-ts.js', import.meta.url));
  if (existsSync(sibling)) return sibling;
  return fileURLToPath(new URL('../../../dist/cli/bps-ts.js', import.meta.url));
}

function readWorkerCommand(config: BpsConfig): string[] {
  const words = expandCommand(config, 'pilotWorkerCommand');
  if (words === undefined) return [process.execPath, findBpsTsScript()];
  if (words.length === 0) throw new ConfigError("bps setting 'pilotWorkerCommand' is empty", { key: 'pilotWorkerCommand', hint: 'give the command that starts bps-ts on a compute node, e.g. [node, /opt/bps-ts/dist/cli/bps-ts.js]' });
  return words;
}

function check(ok: boolean, key: string, message: string, hint: string): void {
  if (!ok) throw new ConfigError(`bps setting '${key}' ${message}`, { key, hint });
}

/**
 * Reads the pilot site's settings (see {@link PilotSiteSettings} for each key and
 * `site-configs/pilot.yaml` for the defaults) and checks that they fit together.
 */
export function readPilotSettings(config: BpsConfig): PilotSiteSettings {
  const int = (key: string, fallback: number, min: number): number => searchNumber(config, key, { integer: true, min }) ?? fallback;
  const num = (key: string, fallback: number, min: number): number => searchNumber(config, key, { min }) ?? fallback;
  const settings: PilotSiteSettings = {
    nodesPerBlock: int('nodesPerBlock', 1, 1),
    coresPerNode: int('coresPerNode', 1, 1),
    memoryPerNode: int('memoryPerNode', 4096, 1),
    blockWalltime: searchWalltime(config, 'blockWalltime') ?? 3600,
    minBlocks: int('minBlocks', 0, 0),
    maxBlocks: int('maxBlocks', 1, 1),
    initBlocks: int('initBlocks', 1, 0),
    workersPerNode: int('workersPerNode', 1, 1),
    workerInit: searchList(config, 'workerInit') ?? [],
    workerCommand: readWorkerCommand(config),
    inProcessQbb: searchBoolean(config, 'inProcessQbb') ?? true,
    partition: optionalString(config, 'partition'),
    account: optionalString(config, 'account'),
    qos: optionalString(config, 'qos'),
    constraint: optionalString(config, 'constraint'),
    listenAddress: optionalString(config, 'listenAddress') ?? '127.0.0.1',
    advertiseAddress: optionalString(config, 'advertiseAddress'),
    port: int('port', 0, 0),
    heartbeatSeconds: num('heartbeatSeconds', 5, 0.05),
    heartbeatTimeoutSeconds: num('heartbeatTimeoutSeconds', 60, 0.1),
    idleSeconds: num('idleSeconds', 60, 0),
    pollSeconds: num('pollSeconds', 10, 0.1),
    killGraceSeconds: num('killGraceSeconds', 5, 0),
    workerLossRetries: int('workerLossRetries', 2, 0),
    prefetch: int('prefetch', 0, 0),
    walltimeMarginSeconds: num('walltimeMarginSeconds', 10, 0),
    workerOrphanSeconds: num('workerOrphanSeconds', 600, 1),
    maxFailedBlocks: int('maxFailedBlocks', 3, 1),
  };
  check(settings.minBlocks <= settings.maxBlocks, 'minBlocks', `(${settings.minBlocks}) is above maxBlocks (${settings.maxBlocks})`, 'lower minBlocks or raise maxBlocks');
  check(settings.coresPerNode % settings.workersPerNode === 0, 'workersPerNode', `(${settings.workersPerNode}) does not divide coresPerNode (${settings.coresPerNode})`, 'give each worker a whole number of cores');
  check(settings.heartbeatTimeoutSeconds > settings.heartbeatSeconds, 'heartbeatTimeoutSeconds', `(${settings.heartbeatTimeoutSeconds}) must exceed heartbeatSeconds (${settings.heartbeatSeconds})`, 'give a timeout a few heartbeats long');
  check(settings.blockWalltime > 0, 'blockWalltime', 'must be positive', 'give seconds or "HH:MM:SS"');
  return settings;
}

/** Cores and memory of one worker: its share of a node. */
export function workerShare(settings: Pick<PilotSiteSettings, 'coresPerNode' | 'memoryPerNode' | 'workersPerNode'>): { cpus: number; memoryMiB: number } {
  return { cpus: settings.coresPerNode / settings.workersPerNode, memoryMiB: Math.floor(settings.memoryPerNode / settings.workersPerNode) };
}
