import { normalizeRelativePath } from '../datastore/index.js';

const UNSAFE = /[^A-Za-z0-9_.+\-=@]/g;

/** The directory (relative to the datastore root) holding a run's per-quantum records. */
export function quantumRecordDir(run: string, taskLabel: string): string {
  const runPath = run.split('/').map((s) => s.replace(UNSAFE, '_')).join('/');
  return normalizeRelativePath(`${runPath}/_quanta/${taskLabel.replace(UNSAFE, '_')}`);
}

/** Relative path of a quantum's provenance record. */
export function provenancePath(run: string, taskLabel: string, quantumId: string): string {
  return `${quantumRecordDir(run, taskLabel)}/${quantumId}.json`;
}

/** Relative path of a quantum's plain-text log (written whatever the outcome). */
export function logPath(run: string, taskLabel: string, quantumId: string): string {
  return `${quantumRecordDir(run, taskLabel)}/${quantumId}.log`;
}
