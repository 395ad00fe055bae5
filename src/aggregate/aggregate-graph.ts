import { stat } from 'node:fs/promises';
import type { Butler } from '../butler/index.js';
import { readQuantumRecords, type ProvenanceRecord } from '../exec/index.js';
import type { GraphDatasetRef, Quantum, QuantumGraph } from '../graph/index.js';
import type { QuantumProvenance, Registry, StoredFileRecord } from '../registry/index.js';
import { formatterOf, registerGraphDatasetTypes, updateOutputChain } from './pre-exec-init.js';

/** State of a quantum after a run, as aggregation sees it. */
export type AggregatedStatus = 'succeeded' | 'failed' | 'blocked' | 'notRun';

/** A failed or blocked quantum, for summaries. */
export interface QuantumProblem {
  readonly index: number;
  readonly quantumId: string;
  readonly taskLabel: string;
  readonly dataId: Readonly<Record<string, string | number>>;
  readonly status: 'failed' | 'blocked';
  readonly error: string;
  /** Absolute log path (failed quanta). */
  readonly logPath: string | null;
  /** Index of the failed quantum that blocked this one. */
  readonly blockedBy?: number;
}

/** What {@link aggregateGraph} did. */
export interface AggregateResult {
  readonly perTask: Readonly<Record<string, Record<AggregatedStatus, number>>>;
  readonly problems: readonly QuantumProblem[];
  readonly datasetsIngested: number;
}

/**
 * Folds a run into the registry: for every quantum with a provenance record, its outputs
 * (datasets + datastore records) and its provenance; failed and blocked quanta are recorded as
 * such; the output chain is updated. Batched transactions; safe to run again (nothing changes
 * the second time) and to rerun after an interruption.
 */
export async function aggregateGraph(butler: Butler, graph: QuantumGraph, options: { batchSize?: number } = {}): Promise<AggregateResult> {
  const { header, quanta } = graph;
  const statuses = new Map<number, AggregatedStatus>();
  const perTask: Record<string, Record<AggregatedStatus, number>> = {};
  const problems: QuantumProblem[] = [];
  const records = new Map<number, ProvenanceRecord>();
  const journal = readQuantumRecords(butler.datastore, header.outputRun);
  for (const q of quanta) {
    const record = journal.get(q.id);
    if (record) records.set(q.index, record);
    const failedUp = q.upstream.find((u) => statuses.get(u) === 'failed' || statuses.get(u) === 'blocked');
    const status: AggregatedStatus = record?.status ?? (failedUp !== undefined ? 'blocked' : 'notRun');
    statuses.set(q.index, status);
    const counts = (perTask[q.taskLabel] ??= { succeeded: 0, failed: 0, blocked: 0, notRun: 0 });
    counts[status] += 1;
    if (status === 'failed') problems.push({ index: q.index, quantumId: q.id, taskLabel: q.taskLabel, dataId: q.dataId, status, error: record?.error ?? 'unknown error', logPath: record ? butler.datastore.absolutePath(record.logPath) : null });
    if (status === 'blocked') {
      const root = rootFailure(q, quanta, statuses);
      problems.push({ index: q.index, quantumId: q.id, taskLabel: q.taskLabel, dataId: q.dataId, status, error: `blocked by failed quantum ${root}`, logPath: null, blockedBy: root });
    }
  }
  let ingested = 0;
  const batchSize = options.batchSize ?? 1000;
  await butler.registry.transaction(async (registry) => {
    await registerGraphDatasetTypes(registry, header);
    await registry.registerRun(header.outputRun);
    ingested += await ingestInitOutputs(butler, registry, graph);
  });
  for (let start = 0; start < quanta.length; start += batchSize) {
    const batch = quanta.slice(start, start + batchSize);
    await butler.registry.transaction(async (registry) => {
      const refs: { ref: GraphDatasetRef; size: number; storageClass: string }[] = [];
      const provenance: QuantumProvenance[] = [];
      for (const q of batch) {
        const status = statuses.get(q.index);
        const record = records.get(q.index);
        const storageClasses = header.tasks.find((t) => t.label === q.taskLabel)?.storageClasses ?? {};
        if (status === 'succeeded' && record) {
          const byId = new Map(Object.entries(q.outputs).flatMap(([c, rs]) => rs.map((r) => [r.id, { ref: r, connection: c }] as const)));
          for (const g of record.generated) {
            const found = byId.get(g.datasetId);
            if (found) refs.push({ ref: found.ref, size: g.size, storageClass: storageClasses[found.connection] ?? datasetStorageClass(graph, found.ref.datasetType) });
          }
        }
        if (status === 'succeeded' || status === 'failed') provenance.push(toProvenance(header.outputRun, q, record as ProvenanceRecord, butler));
        if (status === 'blocked') provenance.push(blockedProvenance(header.outputRun, q, problems.find((p) => p.index === q.index)?.error ?? 'blocked'));
      }
      ingested += await insertOutputs(registry, header.outputRun, refs);
      await registry.recordProvenance(provenance);
    });
  }
  await butler.registry.transaction((registry) => updateOutputChain(registry, header));
  return { perTask, problems, datasetsIngested: ingested };
}

function rootFailure(q: Quantum, quanta: readonly Quantum[], statuses: ReadonlyMap<number, AggregatedStatus>): number {
  let current = q;
  for (;;) {
    const up = current.upstream.find((u) => statuses.get(u) === 'failed' || statuses.get(u) === 'blocked');
    if (up === undefined) return current.index;
    if (statuses.get(up) === 'failed') return up;
    current = quanta[up] ?? current;
    if (current.index !== up) return up;
  }
}

function datasetStorageClass(graph: QuantumGraph, datasetType: string): string {
  return graph.header.datasetTypes.find((t) => t.name === datasetType)?.storageClass ?? 'Json';
}

async function insertOutputs(registry: Registry, run: string, refs: readonly { ref: GraphDatasetRef; size: number; storageClass: string }[]): Promise<number> {
  if (refs.length === 0) return 0;
  const existing = await registry.getDatasets(refs.map((r) => r.ref.id));
  const fresh = refs.filter((r) => !existing.has(r.ref.id));
  const byType = new Map<string, typeof fresh>();
  for (const r of fresh) byType.set(r.ref.datasetType, [...(byType.get(r.ref.datasetType) ?? []), r]);
  for (const [datasetType, group] of byType) {
    await registry.insertDatasets({ datasetType, run, dataIds: group.map((g) => g.ref.dataId), ids: group.map((g) => g.ref.id) });
  }
  const stored: StoredFileRecord[] = fresh.map((r) => ({ datasetId: r.ref.id, path: r.ref.path ?? '', formatter: formatterOf(r.storageClass), storageClass: r.storageClass, fileSize: r.size, checksum: null }));
  await registry.insertDatastoreRecords(stored);
  return fresh.length;
}

async function ingestInitOutputs(butler: Butler, registry: Registry, graph: QuantumGraph): Promise<number> {
  const refs: { ref: GraphDatasetRef; size: number; storageClass: string }[] = [];
  const candidates = [
    ...graph.header.tasks.flatMap((t) => Object.entries(t.initOutputs).map(([c, ref]) => ({ ref, storageClass: c === '_config' ? 'Config' : (t.storageClasses[c] ?? datasetStorageClass(graph, ref.datasetType)) }))),
    ...graph.header.globalInitOutputs.map((ref) => ({ ref, storageClass: 'Packages' })),
  ];
  for (const c of candidates) {
    if (!c.ref.path) continue;
    const info = await stat(butler.datastore.absolutePath(c.ref.path)).catch(() => undefined);
    if (info) refs.push({ ...c, size: info.size });
  }
  return insertOutputs(registry, graph.header.outputRun, refs);
}

function toProvenance(run: string, q: Quantum, r: ProvenanceRecord, butler: Butler): QuantumProvenance {
  return {
    quantumId: q.id,
    run,
    taskLabel: q.taskLabel,
    taskClass: r.taskClass,
    dataId: q.dataId,
    status: r.status,
    configHash: r.configHash,
    software: r.software,
    host: r.host,
    startTime: r.startTime,
    endTime: r.endTime,
    cpuTimeS: r.cpuTimeS,
    peakRssMiB: r.peakRssMiB,
    exitCode: r.exitCode,
    error: r.error,
    logPath: butler.datastore.absolutePath(r.logPath),
    datasets: [
      ...r.used.map((u) => ({ datasetId: u.datasetId, role: 'used' as const, connection: u.connection })),
      ...r.generated.map((g) => ({ datasetId: g.datasetId, role: 'generated' as const, connection: g.connection })),
    ],
  };
}

function blockedProvenance(run: string, q: Quantum, error: string): QuantumProvenance {
  return {
    quantumId: q.id, run, taskLabel: q.taskLabel, taskClass: 'unknown', dataId: q.dataId, status: 'blocked', configHash: null, software: null, host: null,
    startTime: null, endTime: null, cpuTimeS: null, peakRssMiB: null, exitCode: null, error, logPath: null, datasets: [],
  };
}
