import { copyFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { tempPath, writeAtomicSync, type FileDatastore } from '../datastore/index.js';
import type { GraphDatasetRef, GraphTaskInfo, Quantum, QuantumGraphHeader } from '../graph/index.js';
import { getBuiltinTask, readDataset, writeDataset, type InputDataset, type OutputDataset, type TaskOutputs } from '../tasks/index.js';
import { injectedFailure } from './failure-injection.js';
import { logPath, quantumRecordDir } from './quantum-files.js';
import { appendQuantumRecord } from './quantum-journal.js';
import { makeQuantumLog } from './quantum-log.js';
import type { ProvenanceRecord } from './provenance-record.js';
import { hashConfig, softwareVersion } from './software.js';

/** How one quantum ended. */
export interface QuantumOutcome {
  readonly quantumId: string;
  readonly index: number;
  readonly taskLabel: string;
  readonly dataId: Readonly<Record<string, string | number>>;
  readonly status: 'succeeded' | 'skipped' | 'failed';
  readonly error?: string;
  /** Absolute path of the quantum's log: its text log when it failed, else its `_log` dataset. */
  readonly logPath: string;
  readonly durationMs: number;
}

/** Options of {@link runQuantum}. */
export interface RunQuantumOptions {
  header: QuantumGraphHeader;
  quantum: Quantum;
  datastore: FileDatastore;
  /** Run again even when the quantum already succeeded. */
  clobber?: boolean;
}

const AUTOMATIC = new Set(['_metadata', '_log']);
const HOST = hostname();

/**
 * Runs one quantum from the graph's refs alone (no registry): reads inputs from their paths,
 * runs the task, writes outputs atomically at their predicted paths, then the `_log` dataset,
 * then appends the provenance record to the process's journal, and writes the `_metadata`
 * dataset last: a `_metadata` file means the quantum succeeded and its record is written, so
 * a quantum whose `_metadata` exists is skipped unless `clobber` (as the reference's
 * skip-existing does). A failed quantum leaves its text log and a failed record.
 */
export async function runQuantum(options: RunQuantumOptions): Promise<QuantumOutcome> {
  const { header, quantum, datastore } = options;
  const started = Date.now();
  const run = header.outputRun;
  const task = header.tasks.find((t) => t.label === quantum.taskLabel);
  const metadataRef = quantum.outputs['_metadata']?.[0];
  const logRef = quantum.outputs['_log']?.[0];
  const textLog = datastore.absolutePath(logPath(run, quantum.taskLabel, quantum.id));
  const base = { quantumId: quantum.id, index: quantum.index, taskLabel: quantum.taskLabel, dataId: quantum.dataId };
  const outputRefs = Object.entries(quantum.outputs).flatMap(([connection, refs]) => refs.map((ref) => ({ connection, ref })));
  if (!options.clobber && metadataRef !== undefined && exists(datastore.absolutePath(requirePath(metadataRef)))) {
    return { ...base, status: 'skipped', logPath: datastore.absolutePath(requirePath(logRef ?? metadataRef)), durationMs: Date.now() - started };
  }
  // A rerun first withdraws the old success marker: killed half-way, it must not look done.
  if (options.clobber && metadataRef !== undefined) rmSync(datastore.absolutePath(requirePath(metadataRef)), { force: true });
  const qlog = makeQuantumLog({ label: quantum.taskLabel, quantum: quantum.id });
  const usage0 = process.resourceUsage();
  const generated: ProvenanceRecord['generated'][number][] = [];
  let error: string | null = null;
  try {
    if (!task) throw new Error(`task "${quantum.taskLabel}" is not in the graph header`);
    removeStaleTemps([...outputRefs.map((o) => datastore.absolutePath(requirePath(o.ref))), textLog], quantum.id);
    qlog.logger.info({ dataId: quantum.dataId }, `Running ${task.label} (${task.taskClass})`);
    const injected = injectedFailure(task.config, quantum.dataId);
    if (injected) throw new Error(injected);
    const outputs = await executeTask(task, quantum, datastore, qlog.logger, datastore.absolutePath(quantumRecordDir(run, quantum.taskLabel)));
    for (const { connection, ref } of outputRefs) {
      if (AUTOMATIC.has(connection)) continue;
      const produced = findProduced(outputs[connection], ref);
      if (!produced) {
        qlog.logger.warn(`no ${ref.datasetType} output for ${JSON.stringify(ref.dataId)}`);
        continue;
      }
      generated.push({ connection, datasetId: ref.id, path: requirePath(ref), size: placeOutput(datastore, task, connection, ref, produced, quantum.id) });
    }
    qlog.logger.info(`Finished ${task.label} in ${Date.now() - started} ms`);
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
    qlog.logger.error({ err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err) }, `Failed ${quantum.taskLabel}: ${error}`);
    for (const g of generated) rmSync(datastore.absolutePath(g.path), { force: true });
    generated.length = 0;
  }
  const usage = process.resourceUsage();
  const endTime = Date.now();
  qlog.close();
  const cpuTimeS = (usage.userCPUTime - usage0.userCPUTime + usage.systemCPUTime - usage0.systemCPUTime) / 1e6;
  const writeAutomatic = (ref: GraphDatasetRef, connection: string, storageClass: string, value: unknown): void => {
    const { bytes } = writeDataset(storageClass, value);
    writeAtomicSync(datastore.absolutePath(requirePath(ref)), bytes, quantum.id);
    generated.push({ connection, datasetId: ref.id, path: requirePath(ref), size: bytes.byteLength });
  };
  let logRel: string;
  if (error === null && logRef !== undefined) {
    writeAutomatic(logRef, '_log', 'ButlerLogRecords', qlog.records());
    logRel = requirePath(logRef);
  } else {
    writeAtomicSync(textLog, qlog.text(), quantum.id);
    logRel = logPath(run, quantum.taskLabel, quantum.id);
  }
  const metadata = { quantum: quantum.id, dataId: quantum.dataId, startTime: new Date(started).toISOString(), endTime: new Date(endTime).toISOString(), cpuTimeS };
  const metadataBytes = error === null && metadataRef !== undefined ? writeDataset('TaskMetadata', metadata).bytes : null;
  if (metadataBytes !== null && metadataRef !== undefined) generated.push({ connection: '_metadata', datasetId: metadataRef.id, path: requirePath(metadataRef), size: metadataBytes.byteLength });
  const record: ProvenanceRecord = {
    formatVersion: 1,
    quantumId: quantum.id,
    taskLabel: quantum.taskLabel,
    taskClass: task?.taskClass ?? 'unknown',
    dataId: quantum.dataId,
    status: error === null ? 'succeeded' : 'failed',
    configHash: hashConfig(task?.config ?? {}),
    software: softwareVersion(),
    host: HOST,
    pid: process.pid,
    startTime: started * 1000,
    endTime: endTime * 1000,
    cpuTimeS,
    peakRssMiB: usage.maxRSS / 1024,
    exitCode: error === null ? 0 : 9,
    error,
    logPath: logRel,
    used: [...Object.entries(quantum.inputs), ...Object.entries(quantum.prerequisites)].flatMap(([connection, refs]) => refs.map((r) => ({ connection, datasetId: r.id }))),
    generated,
  };
  appendQuantumRecord(datastore, run, record);
  if (metadataBytes !== null && metadataRef !== undefined) writeAtomicSync(datastore.absolutePath(requirePath(metadataRef)), metadataBytes, quantum.id);
  return { ...base, status: record.status, ...(error !== null ? { error } : {}), logPath: datastore.absolutePath(logRel), durationMs: endTime - started };
}

async function executeTask(task: GraphTaskInfo, quantum: Quantum, datastore: FileDatastore, log: ReturnType<typeof makeQuantumLog>['logger'], workDir: string): Promise<TaskOutputs> {
  const builtin = getBuiltinTask(task.taskClass);
  const inputs: Record<string, InputDataset | InputDataset[]> = {};
  for (const [connection, refs] of [...Object.entries(quantum.inputs), ...Object.entries(quantum.prerequisites)]) {
    const storageClass = task.storageClasses[connection] ?? 'Json';
    const loaded: InputDataset[] = [];
    for (const ref of refs) {
      const path = datastore.absolutePath(requirePath(ref));
      loaded.push({ dataId: ref.dataId, datasetType: ref.datasetType, storageClass, path, value: builtin.loadInputs ? await readDataset(storageClass, path) : undefined });
    }
    inputs[connection] = isMultiple(task, connection) ? loaded : (loaded[0] as InputDataset);
  }
  const outputs: Record<string, { dataId: GraphDatasetRef['dataId']; datasetType: string; storageClass: string; path: string }[]> = {};
  for (const [connection, refs] of Object.entries(quantum.outputs)) {
    outputs[connection] = refs.map((r) => ({ dataId: r.dataId, datasetType: r.datasetType, storageClass: task.storageClasses[connection] ?? 'Json', path: datastore.absolutePath(requirePath(r)) }));
  }
  return builtin.run({ label: task.label, config: task.config as never, dataId: quantum.dataId, inputs, outputs, log, workDir });
}

function isMultiple(task: GraphTaskInfo, connection: string): boolean {
  return (task.multipleConnections ?? []).includes(connection);
}

function findProduced(value: OutputDataset | OutputDataset[] | undefined, ref: GraphDatasetRef): OutputDataset | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 1 && !Array.isArray(value)) return list[0];
  return list.find((o) => Object.entries(ref.dataId).every(([k, v]) => o.dataId[k] === undefined || o.dataId[k] === v));
}

function placeOutput(datastore: FileDatastore, task: GraphTaskInfo, connection: string, ref: GraphDatasetRef, produced: OutputDataset, tempTag: string): number {
  const dest = datastore.absolutePath(requirePath(ref));
  if (produced.path !== undefined) {
    if (produced.path !== dest) {
      try {
        renameSync(produced.path, dest);
      } catch {
        copyFileSync(produced.path, dest);
        rmSync(produced.path, { force: true });
      }
    }
    return statSync(dest).size;
  }
  const { bytes } = writeDataset(task.storageClasses[connection] ?? 'Json', produced.value);
  writeAtomicSync(dest, bytes, tempTag);
  return bytes.byteLength;
}

function requirePath(ref: GraphDatasetRef): string {
  if (ref.path === undefined) throw new Error(`dataset ${ref.datasetType} ${JSON.stringify(ref.dataId)} has no file path in the graph`);
  return ref.path;
}

function exists(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false }) !== undefined;
}

/** Removes the temp files a killed earlier attempt of this quantum left next to its outputs. */
function removeStaleTemps(paths: readonly string[], quantumId: string): void {
  for (const p of paths) rmSync(tempPath(p, quantumId), { force: true });
}
