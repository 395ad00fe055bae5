import { readFile } from 'node:fs/promises';
import type { GraphDataId } from '../graph/index.js';

/** What `run-qbb` writes for each quantum it ran, last, after the outputs. */
export interface ProvenanceRecord {
  readonly formatVersion: 1;
  readonly quantumId: string;
  readonly taskLabel: string;
  readonly taskClass: string;
  readonly dataId: GraphDataId;
  readonly status: 'succeeded' | 'failed';
  readonly configHash: string;
  readonly software: string;
  readonly host: string;
  readonly pid: number;
  /** UTC microseconds. */
  readonly startTime: number;
  readonly endTime: number;
  readonly cpuTimeS: number;
  readonly peakRssMiB: number;
  /** 0 on success; the exit code `run-qbb` reports for a failure. */
  readonly exitCode: number;
  readonly error: string | null;
  /** Relative to the datastore root. */
  readonly logPath: string;
  readonly used: readonly { connection: string; datasetId: string }[];
  readonly generated: readonly { connection: string; datasetId: string; path: string; size: number }[];
}

/** Reads a provenance record; undefined when there is none (never run, or killed before the end). */
export async function readProvenanceRecord(path: string): Promise<ProvenanceRecord | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as ProvenanceRecord;
  } catch {
    // Records are written atomically, so an unreadable one was damaged afterwards: treat as absent.
    return undefined;
  }
}
