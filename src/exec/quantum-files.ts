import { normalizeRelativePath } from '../datastore/index.js';

const UNSAFE = /[^A-Za-z0-9_.+\-=@]/g;

function runRecordDir(run: string): string {
  return `${run.split('/').map((s) => s.replace(UNSAFE, '_')).join('/')}/_quanta`;
}

/** The directory (relative to the datastore root) holding a task's per-quantum files of a run. */
export function quantumRecordDir(run: string, taskLabel: string): string {
  return normalizeRelativePath(`${runRecordDir(run)}/${taskLabel.replace(UNSAFE, '_')}`);
}

/** The directory of a run's provenance journals (one JSON-lines file per writing process). */
export function journalDir(run: string): string {
  return normalizeRelativePath(`${runRecordDir(run)}/_journal`);
}

/** Relative path of a quantum's plain-text log (failed quanta, and quanta without a `_log` dataset). */
export function logPath(run: string, taskLabel: string, quantumId: string): string {
  return `${quantumRecordDir(run, taskLabel)}/${quantumId}.log`;
}
