import type { BpsConfig, ConfigHit, SearchOptions } from './bps-config.js';
import { ConfigError } from './config-error.js';

function wrongType(hit: ConfigHit, expected: string): ConfigError {
  const from = hit.file === undefined ? '' : ` (${hit.file})`;
  return new ConfigError(`bps setting '${hit.path}'${from} must be ${expected}, got ${JSON.stringify(hit.value)}`, {
    key: hit.path,
    ...(hit.file === undefined ? {} : { file: hit.file }),
    hint: `change '${hit.path}' to ${expected}`,
  });
}

/** A string setting (numbers and booleans are turned into text), or `undefined` if not set. */
export function searchString(config: BpsConfig, key: string, opts: SearchOptions = {}): string | undefined {
  const hit = config.searchHit(key, opts);
  if (hit === undefined || hit.value === null) return undefined;
  if (typeof hit.value === 'string' || typeof hit.value === 'number' || typeof hit.value === 'boolean') return String(hit.value);
  throw wrongType(hit, 'a string');
}

/** A numeric setting (numeric text accepted), or `undefined` if not set or null. */
export function searchNumber(config: BpsConfig, key: string, opts: SearchOptions & { integer?: boolean; min?: number } = {}): number | undefined {
  const hit = config.searchHit(key, opts);
  if (hit === undefined || hit.value === null || hit.value === '') return undefined;
  const n = typeof hit.value === 'number' ? hit.value : typeof hit.value === 'string' && hit.value.trim() !== '' ? Number(hit.value) : Number.NaN;
  if (!Number.isFinite(n)) throw wrongType(hit, 'a number');
  if (opts.integer && !Number.isInteger(n)) throw wrongType(hit, 'an integer');
  if (opts.min !== undefined && n < opts.min) throw wrongType(hit, `a number >= ${opts.min}`);
  return n;
}

/** A boolean setting (`true`/`false`, any case, also as text), or `undefined` if not set. */
export function searchBoolean(config: BpsConfig, key: string, opts: SearchOptions = {}): boolean | undefined {
  const hit = config.searchHit(key, opts);
  if (hit === undefined || hit.value === null) return undefined;
  if (typeof hit.value === 'boolean') return hit.value;
  if (typeof hit.value === 'string' && /^(true|false)$/i.test(hit.value.trim())) return hit.value.trim().toLowerCase() === 'true';
  throw wrongType(hit, 'true or false');
}

/**
 * A list setting: a YAML list or a comma-separated string (`pipetasks: isr, calibrate`),
 * items trimmed, empty items dropped. `undefined` if not set.
 */
export function searchList(config: BpsConfig, key: string, opts: SearchOptions = {}): string[] | undefined {
  const hit = config.searchHit(key, opts);
  if (hit === undefined || hit.value === null) return undefined;
  const items = Array.isArray(hit.value) ? hit.value : typeof hit.value === 'string' || typeof hit.value === 'number' ? String(hit.value).split(',') : undefined;
  if (items === undefined || items.some((i) => typeof i === 'object' && i !== null)) throw wrongType(hit, 'a list or a comma-separated string');
  return items.map((i) => String(i).trim()).filter((i) => i !== '');
}

/** A list of integers (`retryUnlessExit: [1, 2]` or `retryUnlessExit: 1`); `null` → `[]`. */
export function searchIntList(config: BpsConfig, key: string, opts: SearchOptions = {}): number[] | undefined {
  const hit = config.searchHit(key, opts);
  if (hit === undefined) return undefined;
  if (hit.value === null || hit.value === '') return [];
  const items = Array.isArray(hit.value) ? hit.value : typeof hit.value === 'string' ? hit.value.split(',') : [hit.value];
  const numbers = items.map((i) => (typeof i === 'number' ? i : typeof i === 'string' && i.trim() !== '' ? Number(i) : Number.NaN));
  if (numbers.some((n) => !Number.isInteger(n))) throw wrongType(hit, 'an integer or a list of integers');
  return numbers;
}

const CLOCK = /^(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+)$/;

/**
 * Parses a walltime: a number of seconds, `"MM:SS"`, `"HH:MM:SS"` or `"D-HH:MM:SS"` (Slurm's
 * forms), or a number with a unit (`"90s"`, `"30m"`, `"2h"`, `"1d"`). Returns seconds, or
 * `undefined` when the text is none of these.
 */
export function parseWalltime(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const unit = /^(\d+(?:\.\d+)?)\s*([smhd])$/i.exec(text);
  if (unit) return Number(unit[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[unit[2]!.toLowerCase() as 's' | 'm' | 'h' | 'd'];
  const m = CLOCK.exec(text);
  if (!m) return undefined;
  const [, d, h, min, s] = m;
  if (h === undefined && d !== undefined) return undefined;
  return Number(d ?? 0) * 86400 + Number(h ?? 0) * 3600 + Number(min) * 60 + Number(s);
}

/** A walltime setting in seconds (see {@link parseWalltime}), or `undefined` if not set. */
export function searchWalltime(config: BpsConfig, key: string, opts: SearchOptions = {}): number | undefined {
  const hit = config.searchHit(key, opts);
  if (hit === undefined || hit.value === null || hit.value === '') return undefined;
  const seconds = typeof hit.value === 'number' || typeof hit.value === 'string' ? parseWalltime(hit.value) : undefined;
  if (seconds === undefined) throw wrongType(hit, 'a walltime: seconds, "HH:MM:SS" or "D-HH:MM:SS"');
  return seconds;
}
