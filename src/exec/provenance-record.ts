import type { GraphDataId } from '../graph/index.js';

/** What `run-qbb` records for each quantum it ran (a line of the run's journal), before its `_metadata`. */
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
