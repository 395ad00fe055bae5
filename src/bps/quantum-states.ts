import { resolve } from 'node:path';
import { readRepoConfig } from '../butler/index.js';
import { FileDatastore } from '../datastore/index.js';
import { readQuantumRecords, type ProvenanceRecord } from '../exec/index.js';
import type { GraphDataId, QuantumGraph } from '../graph/index.js';
import type { GenericWorkflow } from '../workflow/index.js';

/** State of a quantum as the report sees it (from its provenance record and its job). */
export const QuantumState = ['succeeded', 'failed', 'running', 'blocked', 'notRun'] as const;
/** One of {@link QuantumState}. */
export type QuantumState = (typeof QuantumState)[number];

/** One quantum's state, its job and its provenance record. */
export interface QuantumStateRow {
  readonly index: number;
  readonly quantumId: string;
  readonly label: string;
  readonly dataId: GraphDataId;
  readonly state: QuantumState;
  /** The job that runs it. */
  readonly job: string | null;
  readonly record: ProvenanceRecord | null;
  /** Absolute path of the quantum's log (when it ran). */
  readonly logPath: string | null;
  /** Index of the failed quantum that blocked this one. */
  readonly blockedBy?: number;
}

/** The datastore of a run's repository (relative repository paths are relative to `cwd`). */
export function openRunDatastore(repo: string, cwd: string): FileDatastore {
  const root = resolve(cwd, repo);
  const config = readRepoConfig(root);
  return new FileDatastore({ root: resolve(root, config.datastore.root), ...(config.datastore.templates ? { templates: config.datastore.templates } : {}) });
}

/**
 * Every quantum's state from the provenance journal `run-qbb` writes (the truth about
 * quanta, whatever happened to the driver): succeeded or failed from the record; without a
 * record, `running` when its job runs now, `blocked` when an upstream quantum failed or is
 * blocked, else `notRun`. Reads files only; never the registry.
 */
export async function collectQuantumStates(options: { graph: QuantumGraph; workflow: GenericWorkflow; datastore: FileDatastore; runningJobs: ReadonlySet<string> }): Promise<QuantumStateRow[]> {
  const { graph, datastore } = options;
  const jobOf = new Map<string, string>();
  for (const job of options.workflow.jobs) for (const id of job.quantumIds) jobOf.set(id, job.name);
  const rows: QuantumStateRow[] = [];
  const run = graph.header.outputRun;
  const records = readQuantumRecords(datastore, run);
  for (const q of graph.quanta) {
    const record = records.get(q.id) ?? null;
    const job = jobOf.get(q.id) ?? null;
    let state: QuantumState;
    let blockedBy: number | undefined;
    if (record) state = record.status;
    else if (job !== null && options.runningJobs.has(job)) state = 'running';
    else {
      const up = q.upstream.map((u) => rows[u]).find((r) => r !== undefined && (r.state === 'failed' || r.state === 'blocked'));
      if (up) {
        state = 'blocked';
        blockedBy = up.state === 'failed' ? up.index : up.blockedBy;
      } else state = 'notRun';
    }
    rows.push({
      index: q.index, quantumId: q.id, label: q.taskLabel, dataId: q.dataId, state, job, record,
      logPath: record ? datastore.absolutePath(record.logPath) : null, ...(blockedBy !== undefined ? { blockedBy } : {}),
    });
  }
  return rows;
}
