import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SiteDetailTable } from '../site-plugin.js';
import { pilotPaths } from './pilot-paths.js';
import type { WorkerRecord } from './worker-registry.js';

/** States of a block: waiting in Slurm, running, ended on its own (or killed by Slurm), released by the coordinator. */
export const BlockState = ['pending', 'running', 'ended', 'released'] as const;
/** One of {@link BlockState}. */
export type BlockState = (typeof BlockState)[number];

/** One block (Slurm allocation) of a pilot run. */
export interface BlockRecord {
  /** `b1`, `b2`, ... in the run (numbering continues across restarts). */
  readonly id: string;
  readonly slurmJobId: string;
  state: BlockState;
  /** Slurm's own state when last polled (RUNNING, TIMEOUT, CANCELLED, ...). */
  slurmState: string | null;
  /** Epoch milliseconds. */
  readonly submittedAt: number;
  startedAt: number | null;
  endedAt: number | null;
  reason: string | null;
  /** A worker of the block has reached a coordinator. */
  connected: boolean;
  readonly script: string;
  readonly stdout: string;
  readonly stderr: string;
}

/** `<submit>/pilot/pilot-state.json`: blocks, workers and runtime estimates, for reports and restarts. */
export interface PilotStateDoc {
  readonly version: 1;
  readonly run: string;
  /** Epoch milliseconds. */
  readonly updatedAt: number;
  readonly coordinator: { readonly url: string; readonly host: string; readonly pid: number } | null;
  readonly blocks: readonly BlockRecord[];
  readonly workers: readonly WorkerRecord[];
  /** Runtime estimate per job label, ms. */
  readonly estimates: Readonly<Record<string, number>>;
}

/** Writes the state file atomically (temp file + rename: a reader never sees half of it). */
export function writePilotState(submitPath: string, doc: PilotStateDoc): void {
  const file = pilotPaths(submitPath).state;
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp.${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(doc, null, 1)}\n`);
  renameSync(tmp, file);
}

/** Reads the state file; undefined when there is none (no coordinator has run yet). */
export function readPilotState(submitPath: string): PilotStateDoc | undefined {
  try {
    const doc = JSON.parse(readFileSync(pilotPaths(submitPath).state, 'utf8')) as PilotStateDoc;
    return doc.version === 1 ? doc : undefined;
  } catch {
    return undefined;
  }
}


const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z'));

/** The blocks and workers of a pilot run as two tables. */
export function formatPilotTables(doc: PilotStateDoc): SiteDetailTable[] {
  return [
    {
      title: 'Pilot blocks',
      columns: ['block', 'slurm job', 'state', 'slurm state', 'submitted', 'started', 'ended', 'reason'],
      rows: doc.blocks.map((b) => [b.id, b.slurmJobId, b.state, b.slurmState, iso(b.submittedAt), iso(b.startedAt), iso(b.endedAt), b.reason]),
    },
    {
      title: 'Pilot workers',
      columns: ['worker', 'block', 'host', 'pid', 'cpus', 'memory MiB', 'state', 'jobs done', 'cpu s', 'last seen', 'reason'],
      rows: doc.workers.map((w) => [w.id, w.blockId, w.host, w.pid, w.cpus, w.memoryMiB, w.state, w.jobsDone, Math.round(w.cpuSeconds ?? 0), iso(w.lastSeen), w.reason]),
    },
  ];
}
