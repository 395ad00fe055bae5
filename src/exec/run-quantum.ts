import { hostname } from 'node:os';
import { rename, rm, stat, copyFile } from 'node:fs/promises';
import { tempPath, writeAtomic, type FileDatastore } from '../datastore/index.js';
import type { GraphDatasetRef, GraphTaskInfo, Quantum, QuantumGraphHeader } from '../graph/index.js';
import { getBuiltinTask, readDataset, writeDataset, type InputDataset, type OutputDataset, type TaskOutputs } from '../tasks/index.js';
import { injectedFailure } from './failure-injection.js';
import { logPath, provenancePath, quantumRecordDir } from './quantum-files.js';
import { makeQuantumLog } from './quantum-log.js';
import { readProvenanceRecord, type ProvenanceRecord } from './provenance-record.js';
import { hashConfig, softwareVersion } from './software.js';

/** How one quantum ended. */
export interface QuantumOutcome {
  readonly quantumId: string;
  readonly index: number;
  readonly taskLabel: string;
  readonly dataId: Readonly<Record<string, string | number>>;
  readonly status: 'succeeded' | 'skipped' | 'failed';
  readonly error?: string;
  /** Absolute path of the quantum's log file. */
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

/**
 * Runs one quantum from the graph's refs alone (no registry): reads inputs from their paths,
 * runs the task, writes outputs atomically at their predicted paths, then writes the
 * provenance record — last, so a record means the outputs are complete. A quantum that already
 * succeeded is skipped unless `clobber`.
 */
export async function runQuantum(options: RunQuantumOptions): Promise<QuantumOutcome> {
  const { header, quantum, datastore } = options;
  const started = Date.now();
  const run = header.outputRun;
  const task = header.tasks.find((t) => t.label === quantum.taskLabel);
  const provFile = datastore.absolutePath(provenancePath(run, quantum.taskLabel, quantum.id));
  const logRel = logPath(run, quantum.taskLabel, quantum.id);
  const base = { quantumId: quantum.id, index: quantum.index, taskLabel: quantum.taskLabel, dataId: quantum.dataId, logPath: datastore.absolutePath(logRel) };
  const outputRefs = Object.entries(quantum.outputs).flatMap(([connection, refs]) => refs.map((ref) => ({ connection, ref })));
  if (!options.clobber) {
    const previous = await readProvenanceRecord(provFile);
    if (previous?.status === 'succeeded' && (await allExist(previous.generated.map((g) => datastore.absolutePath(g.path))))) {
      return { ...base, status: 'skipped', durationMs: Date.now() - started };
    }
  }
  const qlog = makeQuantumLog({ label: quantum.taskLabel, quantum: quantum.id });
  const cpu0 = process.cpuUsage();
  const generated: ProvenanceRecord['generated'][number][] = [];
  let error: string | null = null;
  try {
    if (!task) throw new Error(`task "${quantum.taskLabel}" is not in the graph header`);
    await removeStaleTemps([...outputRefs.map((o) => datastore.absolutePath(requirePath(o.ref))), datastore.absolutePath(logRel), provFile], quantum.id);
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
      generated.push({ connection, datasetId: ref.id, path: requirePath(ref), size: await placeOutput(datastore, task, connection, ref, produced, quantum.id) });
    }
    qlog.logger.info(`Finished ${task.label} in ${Date.now() - started} ms`);
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
    qlog.logger.error({ err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err) }, `Failed ${quantum.taskLabel}: ${error}`);
    await Promise.all(generated.map((g) => rm(datastore.absolutePath(g.path), { force: true })));
    generated.length = 0;
  }
  const cpu = process.cpuUsage(cpu0);
  const endTime = Date.now();
  if (error === null) {
    for (const [connection, value] of [
      ['_metadata', { quantum: quantum.id, dataId: quantum.dataId, startTime: new Date(started).toISOString(), endTime: new Date(endTime).toISOString(), cpuTimeS: (cpu.user + cpu.system) / 1e6 }],
      ['_log', qlog.records()],
    ] as const) {
      const ref = quantum.outputs[connection]?.[0];
      if (!ref) continue;
      const { bytes } = writeDataset(connection === '_log' ? 'ButlerLogRecords' : 'TaskMetadata', value);
      await writeAtomic(datastore.absolutePath(requirePath(ref)), bytes, quantum.id);
      generated.push({ connection, datasetId: ref.id, path: requirePath(ref), size: bytes.byteLength });
    }
  }
  await writeAtomic(datastore.absolutePath(logRel), qlog.text(), quantum.id);
  const record: ProvenanceRecord = {
    formatVersion: 1,
    quantumId: quantum.id,
    taskLabel: quantum.taskLabel,
    taskClass: task?.taskClass ?? 'unknown',
    dataId: quantum.dataId,
    status: error === null ? 'succeeded' : 'failed',
    configHash: hashConfig(task?.config ?? {}),
    software: softwareVersion(),
    host: hostname(),
    pid: process.pid,
    startTime: started * 1000,
    endTime: endTime * 1000,
    cpuTimeS: (cpu.user + cpu.system) / 1e6,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    exitCode: error === null ? 0 : 9,
    error,
    logPath: logRel,
    used: [...Object.entries(quantum.inputs), ...Object.entries(quantum.prerequisites)].flatMap(([connection, refs]) => refs.map((r) => ({ connection, datasetId: r.id }))),
    generated,
  };
  await writeAtomic(provFile, `${JSON.stringify(record, null, 1)}\n`, quantum.id);
  return { ...base, status: record.status, ...(error !== null ? { error } : {}), durationMs: endTime - started };
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

async function placeOutput(datastore: FileDatastore, task: GraphTaskInfo, connection: string, ref: GraphDatasetRef, produced: OutputDataset, tempTag: string): Promise<number> {
  const dest = datastore.absolutePath(requirePath(ref));
  if (produced.path !== undefined) {
    if (produced.path !== dest) {
      await rename(produced.path, dest).catch(async () => {
        await copyFile(produced.path as string, dest);
        await rm(produced.path as string, { force: true });
      });
    }
    return (await stat(dest)).size;
  }
  const { bytes } = writeDataset(task.storageClasses[connection] ?? 'Json', produced.value);
  await writeAtomic(dest, bytes, tempTag);
  return bytes.byteLength;
}

function requirePath(ref: GraphDatasetRef): string {
  if (ref.path === undefined) throw new Error(`dataset ${ref.datasetType} ${JSON.stringify(ref.dataId)} has no file path in the graph`);
  return ref.path;
}

async function allExist(paths: readonly string[]): Promise<boolean> {
  for (const p of paths) {
    try {
      await stat(p);
    } catch {
      return false;
    }
  }
  return true;
}

/** Removes the temp files a killed earlier attempt of this quantum left next to its outputs. */
async function removeStaleTemps(paths: readonly string[], quantumId: string): Promise<void> {
  await Promise.all(paths.map((p) => rm(tempPath(p, quantumId), { force: true })));
}
