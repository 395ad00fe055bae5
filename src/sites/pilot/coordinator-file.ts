import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { pilotPaths } from './pilot-paths.js';

/** Where a running coordinator can be reached; written 0600 because the token grants control of the run. */
export interface CoordinatorInfo {
  readonly version: 1;
  readonly run: string;
  /** `http://host:port`. */
  readonly url: string;
  /** Bearer token every request must carry. */
  readonly token: string;
  readonly host: string;
  readonly pid: number;
  readonly pidStart: number | null;
  /** Epoch milliseconds. */
  readonly startedAt: number;
}

/** A fresh random bearer token. */
export function makeToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Writes the coordinator file atomically (temp file + rename), readable by its owner only. */
export function writeCoordinatorFile(submitPath: string, info: CoordinatorInfo): void {
  const { root, coordinator } = pilotPaths(submitPath);
  mkdirSync(root, { recursive: true });
  const tmp = `${coordinator}.tmp.${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, coordinator);
}

/** Reads the coordinator file; undefined when there is none or it cannot be parsed (being replaced). */
export function readCoordinatorFile(submitPath: string): CoordinatorInfo | undefined {
  try {
    const doc = JSON.parse(readFileSync(pilotPaths(submitPath).coordinator, 'utf8')) as CoordinatorInfo;
    return doc.version === 1 && typeof doc.url === 'string' && typeof doc.token === 'string' ? doc : undefined;
  } catch {
    return undefined;
  }
}

/** Removes the coordinator file if it still belongs to the coordinator with this token. */
export function removeCoordinatorFile(submitPath: string, token: string): void {
  if (readCoordinatorFile(submitPath)?.token === token) rmSync(pilotPaths(submitPath).coordinator, { force: true });
}
