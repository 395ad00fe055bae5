import { ConflictError } from '../errors/index.js';
import type { ResolvedConnection } from '../pipeline/index.js';
import { formatDataId, formatTimespan, type DatasetRef, type Timespan } from '../registry/index.js';
import type { Logger } from '../util/index.js';
import type { PlannedTask } from './build-plan.js';
import { findExisting, type DatasetTypeCache } from './find-existing.js';
import { GraphBuildError, OutputExistsError, PrerequisiteError } from './graph-errors.js';
import type { GraphRegistry } from './graph-registry.js';
import type { GraphDataId } from './quantum-graph-types.js';
import { loadQuantumTimespans, type TimespanOf } from './quantum-timespans.js';
import { NodeState, SlotState, type QuantumSkeleton } from './quantum-skeleton.js';
import type { ResolvedCollections } from './resolve-collections.js';

/** Counts of one task after resolution. */
export interface TaskStats {
  readonly label: string;
  quanta: number;
  /** Quanta dropped because an input was missing (the reference's "no work"). */
  noWork: number;
  /** Quanta skipped because their `<label>_metadata` exists (`--skip-existing-in`). */
  skipped: number;
  /** Dataset type → number of quanta dropped for lack of it. */
  readonly missingInputs: Map<string, number>;
}

/** What resolution adds to the skeleton. */
export interface ResolvedDatasets {
  /** Node id → the existing dataset it is. */
  readonly existing: Map<number, DatasetRef>;
  /** Node id → id of the dataset in the output run it replaces (`--clobber-outputs`). */
  readonly replaces: Map<number, string>;
  /** Slot id → per prerequisite connection, the datasets found. */
  readonly prerequisites: Map<number, DatasetRef[][]>;
  readonly stats: TaskStats[];
}

/** Options of {@link resolveQuanta}. */
export interface ResolveQuantaOptions {
  readonly registry: GraphRegistry;
  readonly types: DatasetTypeCache;
  readonly skeleton: QuantumSkeleton;
  readonly collections: ResolvedCollections;
  readonly clobberOutputs: boolean;
  /** Overall inputs already fetched: dataset type → node key → ref. */
  readonly prefetched?: ReadonlyMap<string, ReadonlyMap<string, DatasetRef>>;
  readonly log: Logger;
  /** Called after each task with its stats (progress display). */
  readonly onTask?: (stats: TaskStats, index: number) => void;
}

/**
 * Looks up overall inputs, then walks the tasks in topological order: drops quanta without
 * enough inputs, skips quanta already done, predicts outputs, and finds prerequisites
 * (calibrations by the quantum's timespan). Every lookup is one batched call per dataset type.
 */
export async function resolveQuanta(options: ResolveQuantaOptions): Promise<ResolvedDatasets> {
  const { skeleton, registry, types, collections, log } = options;
  const plan = skeleton.plan;
  const existing = new Map<number, DatasetRef>();
  const replaces = new Map<number, string>();
  const prerequisites = new Map<number, DatasetRef[][]>();
  const nodesByType: number[][] = plan.datasetTypes.map(() => []);
  for (let n = 0; n < skeleton.nodeCount; n++) (nodesByType[skeleton.nodeType[n] as number] as number[]).push(n);

  for (const type of plan.datasetTypes) {
    if (type.producer !== undefined) continue;
    const known = options.prefetched?.get(type.name);
    if (known !== undefined) {
      skeleton.forEachNodeKey(type.index, (key, node) => {
        const ref = known.get(key);
        skeleton.nodeState[node] = ref === undefined ? NodeState.missing : NodeState.existing;
        if (ref !== undefined) existing.set(node, ref);
      });
      continue;
    }
    const nodes = nodesByType[type.index] as number[];
    const refs = await findExisting({ registry, types, datasetType: type.name, collections: collections.searchPath, dataIds: nodes.map((n) => skeleton.nodeDataId[n] as GraphDataId) });
    let found = 0;
    refs.forEach((ref, i) => {
      const node = nodes[i] as number;
      if (ref === undefined) skeleton.nodeState[node] = NodeState.missing;
      else {
        skeleton.nodeState[node] = NodeState.existing;
        existing.set(node, ref);
        found += 1;
      }
    });
    log.debug({ datasetType: type.name, found, wanted: nodes.length }, `Found ${found} overall-input dataset(s) of type '${type.name}'.`);
  }

  let timespanOf: TimespanOf | undefined;
  const stats: TaskStats[] = [];
  for (const task of plan.tasks) {
    const s: TaskStats = { label: task.task.label, quanta: 0, noWork: 0, skipped: 0, missingInputs: new Map() };
    stats.push(s);
    const slots = skeleton.taskSlots[task.index] as number[];
    for (const slot of slots) {
      const why = checkInputs(skeleton, task, slot);
      if (why === undefined) continue;
      skeleton.slotState[slot] = SlotState.noWork;
      s.noWork += 1;
      s.missingInputs.set(why, (s.missingInputs.get(why) ?? 0) + 1);
    }
    let pending = slots.filter((slot) => skeleton.slotState[slot] === SlotState.pending);
    if (collections.skipExistingIn.length > 0 && pending.length > 0) {
      const done = await findExisting({ registry, types, datasetType: `${task.task.label}_metadata`, collections: collections.skipExistingIn, dataIds: pending.map((q) => skeleton.slotDataId[q] as GraphDataId) });
      const skipped = pending.filter((_, i) => done[i] !== undefined);
      for (const slot of skipped) skeleton.slotState[slot] = SlotState.skipped;
      s.skipped = skipped.length;
      await markOutputs({ ...options, task, slots: skipped, lookIn: collections.skipExistingIn, existing });
      pending = pending.filter((_, i) => done[i] === undefined);
    }
    for (const slot of pending) {
      skeleton.slotState[slot] = SlotState.kept;
      for (const node of skeleton.slotOutputs[slot] as number[]) skeleton.nodeState[node] = NodeState.predicted;
    }
    s.quanta = pending.length;
    if (collections.outputRunExists && pending.length > 0) await checkOutputsInRun({ ...options, task, slots: pending, replaces });
    if (task.prerequisites.length > 0 && pending.length > 0) {
      const needsTime = await anyCalibration(types, task.prerequisites);
      if (needsTime && timespanOf === undefined) {
        const instruments = [...new Set(pending.map((q) => skeleton.slotDataId[q]?.['instrument']).filter((v): v is string => typeof v === 'string'))];
        timespanOf = await loadQuantumTimespans(registry, instruments);
      }
      await findPrerequisites({ ...options, task, slots: pending, prerequisites, timespanOf });
    }
    log.info({ task: s.label, quanta: s.quanta, noWork: s.noWork, skipped: s.skipped }, `Generated ${s.quanta} quanta for task ${s.label} (${s.noWork} had no work, ${s.skipped} skipped)`);
    options.onTask?.(s, task.index);
  }
  return { existing, replaces, prerequisites, stats };
}

/** The dataset type whose absence drops the quantum, or undefined when it has enough inputs. */
function checkInputs(skeleton: QuantumSkeleton, task: PlannedTask, slot: number): string | undefined {
  const lists = skeleton.slotInputs[slot] as (readonly number[])[];
  for (let c = 0; c < task.inputs.length; c++) {
    const conn = task.inputs[c] as PlannedTask['inputs'][number];
    const list = lists[c] as readonly number[];
    let available = 0;
    for (const n of list) {
      const st = skeleton.nodeState[n];
      if (st === NodeState.existing || st === NodeState.predicted) available += 1;
    }
    if (available < conn.connection.minimum) return conn.type.name;
    if (!conn.connection.multiple && available > 1) {
      throw new GraphBuildError(
        `Quantum ${formatDataId(skeleton.slotDataId[slot] ?? {})} of task "${task.task.label}" matches ${available} "${conn.type.name}" datasets for connection "${conn.connection.connection}", which takes one.`,
        { hint: `Narrow the where-clause, or mark the connection multiple in the task catalog.` },
      );
    }
  }
  return undefined;
}

async function markOutputs(options: ResolveQuantaOptions & { task: PlannedTask; slots: readonly number[]; lookIn: readonly string[]; existing: Map<number, DatasetRef> }): Promise<void> {
  const { skeleton, task, slots } = options;
  for (let c = 0; c < task.outputs.length; c++) {
    const type = (task.outputs[c] as PlannedTask['outputs'][number]).type;
    const nodes = slots.map((q) => (skeleton.slotOutputs[q] as number[])[c] as number);
    const refs = await findExisting({ registry: options.registry, types: options.types, datasetType: type.name, collections: options.lookIn, dataIds: nodes.map((n) => skeleton.nodeDataId[n] as GraphDataId) });
    refs.forEach((ref, i) => {
      const node = nodes[i] as number;
      if (ref === undefined) skeleton.nodeState[node] = NodeState.missing;
      else {
        skeleton.nodeState[node] = NodeState.existing;
        options.existing.set(node, ref);
      }
    });
  }
}

async function checkOutputsInRun(options: ResolveQuantaOptions & { task: PlannedTask; slots: readonly number[]; replaces: Map<number, string> }): Promise<void> {
  const { skeleton, task, slots, collections } = options;
  for (let c = 0; c < task.outputs.length; c++) {
    const type = (task.outputs[c] as PlannedTask['outputs'][number]).type;
    const nodes = slots.map((q) => (skeleton.slotOutputs[q] as number[])[c] as number);
    const refs = await findExisting({ registry: options.registry, types: options.types, datasetType: type.name, collections: [collections.outputRun], dataIds: nodes.map((n) => skeleton.nodeDataId[n] as GraphDataId) });
    const clashes = refs.flatMap((ref, i) => (ref === undefined ? [] : [{ ref, node: nodes[i] as number }]));
    if (clashes.length === 0) continue;
    if (!options.clobberOutputs) {
      const first = clashes[0] as (typeof clashes)[number];
      throw new OutputExistsError(
        `${clashes.length} output dataset(s) of task "${task.task.label}" already exist in output run "${collections.outputRun}", e.g. ${type.name} ${formatDataId(first.ref.dataId)} (id ${first.ref.id}), but --clobber-outputs was not given.`,
        { hint: `Pass --skip-existing to skip quanta that finished (their ${task.task.label}_metadata exists), --clobber-outputs to replace partial outputs, or write to a new run.` },
      );
    }
    for (const { ref, node } of clashes) options.replaces.set(node, ref.id);
  }
}

async function anyCalibration(types: DatasetTypeCache, conns: readonly ResolvedConnection[]): Promise<boolean> {
  for (const c of conns) if (c.isCalibration || (await types.get(c.datasetType))?.isCalibration) return true;
  return false;
}

async function findPrerequisites(options: ResolveQuantaOptions & { task: PlannedTask; slots: readonly number[]; prerequisites: Map<number, DatasetRef[][]>; timespanOf: TimespanOf | undefined }): Promise<void> {
  const { skeleton, task, slots, collections } = options;
  for (const slot of slots) options.prerequisites.set(slot, task.prerequisites.map(() => []));
  for (const [c, conn] of task.prerequisites.entries()) {
    const stored = await options.types.get(conn.datasetType);
    const label = task.task.label;
    if (stored === undefined) {
      if (conn.minimum === 0) continue;
      throw new PrerequisiteError(`Prerequisite input "${conn.datasetType}" (connection "${conn.connection}") of task "${label}" is not a registered dataset type in ${options.registry.displayUrl}, so no quantum of "${label}" can find it.`, {
        taskLabel: label,
        datasetType: conn.datasetType,
        hint: `Ingest or certify ${conn.datasetType} datasets into one of the input collections, or turn the connection off in the task config.`,
      });
    }
    const isCalibration = conn.isCalibration || stored.isCalibration;
    const sample = skeleton.slotDataId[slots[0] as number] ?? {};
    if (!stored.dimensions.every((d) => sample[d] !== undefined)) {
      const all = await options.registry.queryDatasets({ datasetType: stored, collections: collections.searchPath });
      options.log.warn({ task: label, datasetType: stored.name, found: all.length }, `Prerequisite "${stored.name}" of task "${label}" has dimensions [${stored.dimensions.join(', ')}] that the quanta do not have; every quantum gets all ${all.length} of them.`);
      for (const slot of slots) ((options.prerequisites.get(slot) as DatasetRef[][])[c] as DatasetRef[]).push(...all);
      if (all.length === 0 && conn.minimum > 0) throw missingPrerequisite(options, conn, sample, undefined);
      continue;
    }
    const unique = new Map<string, { dataId: GraphDataId; timespan: Timespan | undefined; slots: number[] }>();
    for (const slot of slots) {
      const dataId = skeleton.slotDataId[slot] as GraphDataId;
      const timespan = isCalibration ? options.timespanOf?.(dataId) : undefined;
      let key = stored.dimensions.map((d) => String(dataId[d])).join('\u001f');
      if (timespan) key += `|${timespan.begin ?? ''}|${timespan.end ?? ''}`;
      let entry = unique.get(key);
      if (entry === undefined) {
        entry = { dataId, timespan, slots: [] };
        unique.set(key, entry);
      }
      entry.slots.push(slot);
    }
    const entries = [...unique.values()];
    let refs: (DatasetRef | undefined)[];
    try {
      refs = await findExisting({
        registry: options.registry,
        types: options.types,
        datasetType: stored.name,
        collections: collections.searchPath,
        dataIds: entries.map((e) => e.dataId),
        ...(isCalibration ? { timespans: entries.map((e) => e.timespan) } : {}),
      });
    } catch (err) {
      if (err instanceof ConflictError) {
        throw new ConflictError(`Prerequisite "${stored.name}" of task "${label}" is ambiguous: ${err.message}`, { cause: err, ...(err.hint ? { hint: err.hint } : {}) });
      }
      throw err;
    }
    entries.forEach((e, i) => {
      const ref = refs[i];
      if (ref === undefined) {
        if (conn.minimum > 0) throw missingPrerequisite(options, conn, e.dataId, e.timespan);
        return;
      }
      for (const slot of e.slots) ((options.prerequisites.get(slot) as DatasetRef[][])[c] as DatasetRef[]).push(ref);
    });
  }
}

function missingPrerequisite(options: ResolveQuantaOptions & { task: PlannedTask }, conn: ResolvedConnection, dataId: GraphDataId, timespan: Timespan | undefined): PrerequisiteError {
  const label = options.task.task.label;
  const path = options.collections.searchPath;
  const where = Object.entries(dataId)
    .filter(([k]) => conn.dimensions.includes(k) || k === 'instrument' || k === 'physical_filter' || k === 'detector')
    .map(([k, v]) => (typeof v === 'string' ? `${k}='${v}'` : `${k}=${v}`))
    .join(' AND ');
  const when = timespan && (timespan.begin !== null || timespan.end !== null) ? ` valid at ${formatTimespan(timespan)}` : '';
  return new PrerequisiteError(
    `Prerequisite input "${conn.datasetType}" (connection "${conn.connection}") of task "${label}" was not found for quantum ${formatDataId(dataId)}${when} in collections [${path.join(', ')}].`,
    {
      taskLabel: label,
      datasetType: conn.datasetType,
      hint: `Check with: butler-ts query-datasets REPO ${conn.datasetType} --collections ${path.join(',')}${where ? ` --where "${where}"` : ''}${conn.isCalibration ? '; certify calibrations with butler-ts certify-calibrations' : ''}.`,
    },
  );
}

