import { searchIntList, searchNumber, searchWalltime, type BpsConfig, type SearchOptions } from '../config/index.js';
import { ClusterError } from './cluster-error.js';
import type { JobResources } from './cluster-types.js';

/** Resource settings as found in the config; `undefined` where nothing sets them. */
export interface ResourceSettings {
  requestCpus?: number | undefined;
  requestMemory?: number | undefined;
  requestWalltime?: number | undefined;
  numberOfRetries?: number | undefined;
  memoryMultiplier?: number | undefined;
  requestMemoryMax?: number | undefined;
  memoryLimit?: number | undefined;
  retryUnlessExit?: readonly number[] | undefined;
}

/** Default number of retries when memory scaling is on and `numberOfRetries` is unset (reference value). */
export const DEFAULT_MEMORY_RETRIES = 5;

/** Reads the resource settings visible with the given search options (e.g. `curr_pipetask`). */
export function readResourceSettings(config: BpsConfig, opts: SearchOptions): ResourceSettings {
  return {
    requestCpus: searchNumber(config, 'requestCpus', { ...opts, min: 0 }),
    requestMemory: searchNumber(config, 'requestMemory', { ...opts, min: 0 }),
    requestWalltime: searchWalltime(config, 'requestWalltime', opts),
    numberOfRetries: searchNumber(config, 'numberOfRetries', { ...opts, integer: true, min: 0 }),
    memoryMultiplier: searchNumber(config, 'memoryMultiplier', { ...opts, min: 0 }),
    requestMemoryMax: searchNumber(config, 'requestMemoryMax', { ...opts, min: 0 }),
    memoryLimit: searchNumber(config, 'memoryLimit', { ...opts, min: 0 }),
    retryUnlessExit: searchIntList(config, 'retryUnlessExit', opts),
  };
}

/** Reads only the settings written in one section (`cluster.<label>`, `finalJob`). */
export function readSectionResources(config: BpsConfig, section: string): ResourceSettings {
  const present = new Set(config.sectionNames(section));
  const at = (key: string): string => `.${section}.${key}`;
  const out: ResourceSettings = {};
  if (present.has('requestCpus')) out.requestCpus = searchNumber(config, at('requestCpus'), { min: 0 });
  if (present.has('requestMemory')) out.requestMemory = searchNumber(config, at('requestMemory'), { min: 0 });
  if (present.has('requestWalltime')) out.requestWalltime = searchWalltime(config, at('requestWalltime'));
  if (present.has('numberOfRetries')) out.numberOfRetries = searchNumber(config, at('numberOfRetries'), { integer: true, min: 0 });
  if (present.has('memoryMultiplier')) out.memoryMultiplier = searchNumber(config, at('memoryMultiplier'), { min: 0 });
  if (present.has('requestMemoryMax')) out.requestMemoryMax = searchNumber(config, at('requestMemoryMax'), { min: 0 });
  if (present.has('memoryLimit')) out.memoryLimit = searchNumber(config, at('memoryLimit'), { min: 0 });
  if (present.has('retryUnlessExit')) out.retryUnlessExit = searchIntList(config, at('retryUnlessExit'));
  return out;
}

/**
 * Combines per-task settings into a job's: the maximum of cpus, memory, retries, memory
 * multiplier and caps; the sum of walltimes (one per quantum). Exit codes must agree.
 */
export class ResourceAccumulator {
  private readonly acc: ResourceSettings = {};
  private exitFrom: string | undefined;

  constructor(private readonly jobName: string) {}

  add(settings: ResourceSettings, count: number, from: string): void {
    const a = this.acc;
    a.requestCpus = max(a.requestCpus, settings.requestCpus);
    a.requestMemory = max(a.requestMemory, settings.requestMemory);
    a.numberOfRetries = max(a.numberOfRetries, settings.numberOfRetries);
    a.memoryMultiplier = max(a.memoryMultiplier, settings.memoryMultiplier);
    a.requestMemoryMax = max(a.requestMemoryMax, settings.requestMemoryMax);
    a.memoryLimit = max(a.memoryLimit, settings.memoryLimit);
    if (settings.requestWalltime !== undefined) a.requestWalltime = (a.requestWalltime ?? 0) + settings.requestWalltime * count;
    if (settings.retryUnlessExit !== undefined) {
      if (a.retryUnlessExit !== undefined && !sameCodes(a.retryUnlessExit, settings.retryUnlessExit)) {
        throw new ClusterError(
          `job '${this.jobName}' mixes tasks with different retryUnlessExit: ${JSON.stringify(a.retryUnlessExit)} (${this.exitFrom}) and ${JSON.stringify(settings.retryUnlessExit)} (${from})`,
          { key: 'retryUnlessExit', hint: `set retryUnlessExit in the cluster section of '${this.jobName}' or give both tasks the same value` },
        );
      }
      a.retryUnlessExit = settings.retryUnlessExit;
      this.exitFrom ??= from;
    }
  }

  /** The settings so far, with `override` (explicit job-level values) winning. */
  settings(override: ResourceSettings = {}): ResourceSettings {
    const out: ResourceSettings = { ...this.acc };
    for (const [k, v] of Object.entries(override)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
    return out;
  }
}

function max(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}

function sameCodes(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && [...a].sort().every((v, i) => v === [...b].sort()[i]);
}

/**
 * Final job resources with the reference's rules: 1 cpu, 2048 MiB, no retries by default; a
 * memory multiplier of 1 or less turns scaling off; with scaling on, retries default to
 * {@link DEFAULT_MEMORY_RETRIES} and the memory cap is `requestMemoryMax`, at most `memoryLimit`.
 */
export function finishResources(s: ResourceSettings): JobResources {
  const scaling = s.memoryMultiplier !== undefined && Math.ceil(s.memoryMultiplier) > 1;
  const limit = s.memoryLimit ?? null;
  const cap = s.requestMemoryMax ?? limit;
  return {
    requestCpus: s.requestCpus ?? 1,
    requestMemory: s.requestMemory ?? 2048,
    requestWalltime: s.requestWalltime ?? null,
    numberOfRetries: s.numberOfRetries ?? (scaling ? DEFAULT_MEMORY_RETRIES : 0),
    memoryMultiplier: scaling ? s.memoryMultiplier! : null,
    requestMemoryMax: scaling && cap !== null ? (limit === null ? cap : Math.min(cap, limit)) : null,
    memoryLimit: limit,
    retryUnlessExit: s.retryUnlessExit ?? [],
  };
}
