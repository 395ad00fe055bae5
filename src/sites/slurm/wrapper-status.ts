import { readFile } from 'node:fs/promises';
import { InvalidInputError } from '../../errors/index.js';

/** Phases the job wrapper writes: at start, after the payload exited, after Slurm's SIGTERM. */
export const WrapperPhase = ['running', 'exited', 'signalled'] as const;
/** One of {@link WrapperPhase}. */
export type WrapperPhase = (typeof WrapperPhase)[number];

/** The JSON status file written by the batch-script wrapper (see `renderJobWrapper`). */
export interface WrapperStatus {
  readonly phase: WrapperPhase;
  readonly slurmJobId: string;
  /** Array index for array tasks, else null. */
  readonly arrayTaskId: number | null;
  readonly host: string;
  /** Epoch milliseconds. */
  readonly startedAt: number;
  readonly endedAt: number | null;
  /** The payload's exit status as the shell saw it (128+n when killed by signal n); null unless exited. */
  readonly exitCode: number | null;
  /** `SIGTERM` when Slurm signalled the wrapper (time limit, scancel), else null. */
  readonly signal: string | null;
  /** Peak resident memory of the payload's largest process, KiB; null when not measured. */
  readonly peakRssKb: number | null;
  readonly peakMemoryProbe: string;
}

function bad(path: string, problem: string): never {
  throw new InvalidInputError(`job status file '${path}' ${problem}; it is written by the batch-script wrapper, so delete it and rerun the job if it was edited by hand`, { file: path });
}

function field<T>(path: string, doc: Record<string, unknown>, key: string, check: (v: unknown) => v is T): T {
  const value = doc[key];
  if (!check(value)) bad(path, `has an invalid '${key}': ${JSON.stringify(value)}`);
  return value;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isIntOrNull = (v: unknown): v is number | null => v === null || Number.isInteger(v);
const isStringOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';

function parseTime(path: string, key: string, text: string | null): number | null {
  if (text === null) return null;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) bad(path, `has an invalid '${key}': ${JSON.stringify(text)}`);
  return ms;
}

/** Parses the text of a wrapper status file; `path` is only used in error messages. */
export function parseWrapperStatus(text: string, path: string): WrapperStatus {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw new InvalidInputError(`job status file '${path}' is not JSON: ${(cause as Error).message}`, { file: path, cause });
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) bad(path, 'is not a JSON object');
  const d = doc as Record<string, unknown>;
  if (d['version'] !== 1) bad(path, `has unsupported version ${JSON.stringify(d['version'])} (expected 1)`);
  const phase = field(path, d, 'state', (v): v is WrapperPhase => WrapperPhase.includes(v as WrapperPhase));
  const signal = field(path, d, 'signal', isStringOrNull);
  return {
    phase,
    slurmJobId: field(path, d, 'slurmJobId', isString),
    arrayTaskId: field(path, d, 'arrayTaskId', isIntOrNull),
    host: field(path, d, 'host', isString),
    startedAt: parseTime(path, 'start', field(path, d, 'start', isString)) ?? 0,
    endedAt: parseTime(path, 'end', field(path, d, 'end', isStringOrNull)),
    exitCode: field(path, d, 'exitCode', isIntOrNull),
    signal: signal === null ? null : `SIG${signal}`,
    peakRssKb: field(path, d, 'peakRssKb', isIntOrNull),
    peakMemoryProbe: field(path, d, 'peakMemoryProbe', isString),
  };
}

/** Reads a wrapper status file; `undefined` when it does not exist (the job has not started). */
export async function readWrapperStatus(path: string): Promise<WrapperStatus | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InvalidInputError(`cannot read job status file '${path}': ${(cause as Error).message}`, { file: path, cause });
  }
  return parseWrapperStatus(text, path);
}
