import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BpsError, InvalidInputError } from '../errors/index.js';
import { readFitsHeader, type FitsHeader } from '../fits/index.js';
import { extractRawMetadata, type Instrument, type RawMetadata } from '../instrument/index.js';

/** Header keyword naming the instrument of a raw file. */
export const INSTRUMENT_KEYWORD = 'INSTRUME';

/** A raw file that could not be ingested, and why. */
export interface RawFileFailure {
  readonly file: string;
  readonly message: string;
  /** The header keyword at fault, when there is one. */
  readonly keyword?: string;
}

/** The outcome of reading one raw file's header. */
export type RawHeaderResult = { file: string; metadata: RawMetadata } | { file: string; failure: RawFileFailure };

const FITS_NAME = /\.fits?$/i;

/** Files named by `paths`; directories are searched recursively for `*.fits`. Missing paths are failures. */
export async function listRawFiles(paths: readonly string[]): Promise<{ files: string[]; failures: RawFileFailure[] }> {
  const files = new Set<string>();
  const failures: RawFileFailure[] = [];
  for (const p of paths) {
    const full = resolve(p);
    let info;
    try {
      info = await stat(full);
    } catch (err) {
      failures.push({ file: p, message: `cannot read '${p}': ${(err as Error).message}` });
      continue;
    }
    if (!info.isDirectory()) {
      files.add(full);
      continue;
    }
    const entries = await readdir(full, { recursive: true, withFileTypes: true });
    for (const e of entries) if ((e.isFile() || e.isSymbolicLink()) && FITS_NAME.test(e.name)) files.add(join(e.parentPath, e.name));
  }
  return { files: [...files].sort(), failures };
}

/** A normalised name for comparing instrument names ("Hyper Suprime-Cam" → "hypersuprimecam"). */
function squash(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * The registered instrument a header belongs to: `forced` when given, else the one whose name,
 * class path or description start matches the INSTRUME keyword.
 */
export function identifyInstrument(header: FitsHeader, file: string, registered: readonly Instrument[], forced?: Instrument): Instrument {
  if (forced !== undefined) return forced;
  const value = header.get(INSTRUMENT_KEYWORD);
  const known = registered.map((i) => i.name).join(', ') || 'none';
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidInputError(`raw file '${file}': header keyword '${INSTRUMENT_KEYWORD}' is missing, so its instrument is unknown (registered: ${known}).`, {
      file, key: INSTRUMENT_KEYWORD, hint: 'Name the instrument with --instrument.',
    });
  }
  const wanted = squash(value);
  const found = registered.find((i) => squash(i.name) === wanted || i.classPaths.some((c) => squash(c) === wanted))
    ?? registered.find((i) => wanted.length >= 3 && squash(i.description).startsWith(wanted));
  if (found === undefined) {
    throw new InvalidInputError(`raw file '${file}': header keyword '${INSTRUMENT_KEYWORD}' gives instrument '${value.trim()}', which is not registered in this repository (registered: ${known}).`, {
      file, key: INSTRUMENT_KEYWORD, hint: 'Register it first with `butler-ts register-instrument REPO NAME|FILE`.',
    });
  }
  return found;
}

function failureOf(file: string, err: unknown): RawFileFailure {
  if (!(err instanceof BpsError)) throw err;
  const keyword = (err as { keyword?: unknown; key?: unknown }).keyword ?? (err as { key?: unknown }).key;
  return { file, message: err.message, ...(typeof keyword === 'string' ? { keyword } : {}) };
}

/**
 * Reads only the headers of raw files, `jobs` at a time, and turns them into metadata. A file
 * that is unreadable, not FITS, of an unregistered instrument, or lacks a keyword is a failure
 * naming the file (and the keyword); results keep the order of `files`.
 */
export async function readRawHeaders(options: { files: readonly string[]; registered: readonly Instrument[]; instrument?: Instrument; jobs?: number }): Promise<RawHeaderResult[]> {
  const results: RawHeaderResult[] = new Array(options.files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < options.files.length) {
      const index = next++;
      const file = options.files[index]!;
      try {
        const header = await readFitsHeader(file);
        const instrument = identifyInstrument(header, file, options.registered, options.instrument);
        results[index] = { file, metadata: extractRawMetadata(instrument, header, file) };
      } catch (err) {
        results[index] = { file, failure: failureOf(file, err) };
      }
    }
  };
  const jobs = Math.max(1, Math.min(options.jobs ?? 4, options.files.length));
  await Promise.all(Array.from({ length: jobs }, worker));
  return results;
}
