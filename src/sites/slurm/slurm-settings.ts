import { searchBoolean, searchNumber, searchString, type BpsConfig } from '../../config/index.js';
import { ConfigError } from '../../config/index.js';
import { PEAK_MEMORY_PROBES, type PeakMemoryProbe } from './job-wrapper.js';

/** Settings of the Slurm site, read from `site.<computeSite>.*` (then the usual search order). */
export interface SlurmSiteSettings {
  readonly partition: string | null;
  readonly account: string | null;
  readonly qos: string | null;
  /** Feature expression for `--constraint`. */
  readonly constraint: string | null;
  /** sbatch calls per second at most (0: no limit). Default 10: gentle on shared controllers. */
  readonly submissionsPerSecond: number;
  /** Submit same-label jobs with identical requests and parents as one job array. */
  readonly useJobArrays: boolean;
  /** At most this many tasks of one array run at once (`%M`); null: no limit. */
  readonly arrayMaxRunning: number | null;
  /** Seconds between squeue polls of a run (one call per round for the whole run). */
  readonly pollSeconds: number;
  readonly peakMemoryProbe: PeakMemoryProbe;
}

function optionalString(config: BpsConfig, key: string): string | null {
  const v = searchString(config, key);
  return v === undefined || v.trim() === '' ? null : v.trim();
}

/**
 * Reads the Slurm site's settings: `partition`, `account`, `qos`, `constraint`,
 * `submissionsPerSecond` (10), `useJobArrays` (false), `arrayMaxRunning`, `pollSeconds` (30),
 * `peakMemoryProbe` (`auto`). Values are checked by the batch-script writer when used.
 */
export function readSlurmSettings(config: BpsConfig): SlurmSiteSettings {
  const probe = searchString(config, 'peakMemoryProbe') ?? 'auto';
  if (!PEAK_MEMORY_PROBES.includes(probe as PeakMemoryProbe)) {
    throw new ConfigError(`bps setting 'peakMemoryProbe' must be one of ${PEAK_MEMORY_PROBES.join(', ')}, got ${JSON.stringify(probe)}`, {
      key: 'peakMemoryProbe',
      hint: `set site.<computeSite>.peakMemoryProbe to ${PEAK_MEMORY_PROBES.join(' or ')}`,
    });
  }
  return {
    partition: optionalString(config, 'partition'),
    account: optionalString(config, 'account'),
    qos: optionalString(config, 'qos'),
    constraint: optionalString(config, 'constraint'),
    submissionsPerSecond: searchNumber(config, 'submissionsPerSecond', { min: 0 }) ?? 10,
    useJobArrays: searchBoolean(config, 'useJobArrays') ?? false,
    arrayMaxRunning: searchNumber(config, 'arrayMaxRunning', { integer: true, min: 1 }) ?? null,
    pollSeconds: searchNumber(config, 'pollSeconds', { min: 1 }) ?? 30,
    peakMemoryProbe: probe as PeakMemoryProbe,
  };
}
