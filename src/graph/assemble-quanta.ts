import type { PipelineGraph, ResolvedConnection } from '../pipeline/index.js';
import type { DatasetRef, StoredFileRecord } from '../registry/index.js';
import type { PlannedTask } from './build-plan.js';
import { findExisting, type DatasetTypeCache } from './find-existing.js';
import { PrerequisiteError } from './graph-errors.js';
import type { GraphRegistry } from './graph-registry.js';
import type { GraphDataId, GraphDatasetRef, GraphTaskInfo, Quantum } from './quantum-graph-types.js';
import { NodeState, SlotState, type QuantumSkeleton } from './quantum-skeleton.js';
import type { ResolvedCollections } from './resolve-collections.js';
import type { ResolvedDatasets } from './resolve-quanta.js';
import { Uuid7Generator } from './uuid7-generator.js';

/** What a predicted output's path is computed from. */
export interface PredictedDataset {
  readonly datasetType: string;
  readonly storageClass: string;
  readonly dataId: GraphDataId;
  readonly run: string;
}

/** Computes the datastore path (relative to its root) of a predicted output; see `qg build`. */
export type PredictPath = (dataset: PredictedDataset) => string | undefined;

/** Options of {@link assembleQuanta}. */
export interface AssembleQuantaOptions {
  readonly registry: GraphRegistry;
  readonly types: DatasetTypeCache;
  readonly pipeline: PipelineGraph;
  readonly skeleton: QuantumSkeleton;
  readonly resolved: ResolvedDatasets;
  readonly collections: ResolvedCollections;
  readonly predictPath?: PredictPath;
}

/** The graph's quanta, tasks and run-level init-outputs. */
export interface AssembledQuanta {
  readonly quanta: Quantum[];
  readonly tasks: GraphTaskInfo[];
  readonly globalInitOutputs: GraphDatasetRef[];
  readonly datasetCount: number;
}

/**
 * Turns the resolved skeleton into quanta in topological order (tasks in pipeline order, then
 * data-ID order), with UUIDv7 ids, dataset refs (existing ones with their datastore path and
 * formatter, predicted ones with the path they will get) and upstream quantum indexes.
 */
export async function assembleQuanta(options: AssembleQuantaOptions): Promise<AssembledQuanta> {
  const { skeleton, resolved, collections } = options;
  const plan = skeleton.plan;
  const run = collections.outputRun;
  const uuids = new Uuid7Generator();
  const existingIds = new Set<string>();
  for (const ref of resolved.existing.values()) existingIds.add(ref.id);
  for (const lists of resolved.prerequisites.values()) for (const list of lists) for (const ref of list) existingIds.add(ref.id);
  const init = await resolveInitDatasets(options, existingIds, uuids);
  const records = await options.registry.getDatastoreRecords([...existingIds]);
  for (const [name, ref] of init) {
    const rec = records.get(ref.id);
    if (rec && ref.path === undefined) init.set(name, { ...ref, path: rec.path, formatter: rec.formatter });
  }

  const refsById = new Map<string, GraphDatasetRef>();
  const fromRegistry = (ref: DatasetRef, dataId: GraphDataId): GraphDatasetRef => {
    let out = refsById.get(ref.id);
    if (out === undefined) {
      const rec: StoredFileRecord | undefined = records.get(ref.id);
      out = rec === undefined
        ? { id: ref.id, datasetType: ref.datasetType, dataId, run: ref.run }
        : { id: ref.id, datasetType: ref.datasetType, dataId, run: ref.run, path: rec.path, formatter: rec.formatter };
      refsById.set(ref.id, out);
    }
    return out;
  };
  const predict = (datasetType: string, storageClass: string, dataId: GraphDataId, replacesId?: string): GraphDatasetRef => {
    const path = flatten(options.predictPath?.({ datasetType, storageClass, dataId, run }));
    const ref: { -readonly [K in keyof GraphDatasetRef]: GraphDatasetRef[K] } = path === undefined
      ? { id: uuids.next(), datasetType, dataId, run }
      : { id: uuids.next(), datasetType, dataId, run, path };
    if (replacesId !== undefined) ref.replacesId = replacesId;
    return ref;
  };
  let datasetCount = 0;
  const nodeRefs: (GraphDatasetRef | undefined)[] = new Array(skeleton.nodeCount);
  const nodeRef = (node: number): GraphDatasetRef => {
    let ref = nodeRefs[node];
    if (ref === undefined) {
      const type = plan.datasetTypes[skeleton.nodeType[node] as number] as PlanType;
      const dataId = skeleton.nodeDataId[node] as GraphDataId;
      const found = skeleton.nodeState[node] === NodeState.existing ? resolved.existing.get(node) : undefined;
      if (found !== undefined) ref = fromRegistry(found, dataId);
      else {
        ref = predict(type.name, type.storageClass, dataId, resolved.replaces.size > 0 ? resolved.replaces.get(node) : undefined);
        datasetCount += 1;
      }
      nodeRefs[node] = ref;
    }
    return ref;
  };

  const slotIndex = new Int32Array(skeleton.slotCount).fill(-1);
  let next = 0;
  for (const task of plan.tasks) for (const slot of skeleton.taskSlots[task.index] as number[]) if (skeleton.slotState[slot] === SlotState.kept) slotIndex[slot] = next++;
  const quanta: Quantum[] = new Array(next);
  // Lists are collected in scratch arrays and copied at their exact size: an array grown by
  // push from empty keeps room for 16 elements, 130 bytes too many per list of a million quanta.
  const refList: GraphDatasetRef[] = [];
  const upList: number[] = [];
  for (const task of plan.tasks) {
    for (const slot of skeleton.taskSlots[task.index] as number[]) {
      const index = slotIndex[slot] as number;
      if (index < 0) continue;
      upList.length = 0;
      let upSet: Set<number> | undefined;
      const inputs: Record<string, GraphDatasetRef[]> = {};
      const lists = skeleton.slotInputs[slot] as (readonly number[])[];
      for (let i = 0; i < task.inputs.length; i++) {
        refList.length = 0;
        for (const node of lists[i] as readonly number[]) {
          const st = skeleton.nodeState[node];
          if (st !== NodeState.existing && st !== NodeState.predicted) continue;
          refList.push(nodeRef(node));
          const producer = skeleton.nodeProducer[node] as number;
          const up = producer >= 0 ? (slotIndex[producer] as number) : -1;
          if (st !== NodeState.predicted || up < 0) continue;
          if (upList.length < 32 ? !upList.includes(up) : !(upSet ??= new Set(upList)).has(up)) {
            upList.push(up);
            upSet?.add(up);
          }
        }
        inputs[(task.inputs[i] as PlannedTask['inputs'][number]).connection.connection] = refList.slice();
      }
      let prerequisites: Record<string, GraphDatasetRef[]> = NO_REFS;
      const found = resolved.prerequisites.get(slot);
      if (task.prerequisites.length > 0) {
        prerequisites = {};
        for (let i = 0; i < task.prerequisites.length; i++) {
          prerequisites[(task.prerequisites[i] as ResolvedConnection).connection] = (found?.[i] ?? []).map((ref) => fromRegistry(ref, ref.dataId));
        }
      }
      const outputs: Record<string, GraphDatasetRef[]> = {};
      const outNodes = skeleton.slotOutputs[slot] as number[];
      for (let i = 0; i < task.outputs.length; i++) {
        outputs[(task.outputs[i] as PlannedTask['outputs'][number]).connection.connection] = [nodeRef(outNodes[i] as number)];
      }
      // Built quanta hold their refs; the skeleton's lists for this slot are no longer needed.
      skeleton.slotInputs[slot] = RELEASED;
      resolved.prerequisites.delete(slot);
      quanta[index] = {
        id: uuids.next(),
        index,
        taskLabel: task.task.label,
        dataId: skeleton.slotDataId[slot] as GraphDataId,
        inputs,
        prerequisites,
        outputs,
        upstream: upList.length > 1 ? upList.slice().sort((a, b) => a - b) : upList.slice(),
      };
    }
  }
  const tasks = plan.tasks.map((task): GraphTaskInfo => ({
    label: task.task.label,
    taskClass: task.task.taskClass,
    dimensions: task.dims.required,
    config: task.task.config,
    initInputs: Object.fromEntries(task.initInputs.map((c) => [c.connection, init.get(c.datasetType) as GraphDatasetRef])),
    initOutputs: Object.fromEntries(task.initOutputs.map((c) => [c.connection, init.get(c.datasetType) as GraphDatasetRef])),
    storageClasses: Object.fromEntries(task.task.connections.map((c) => [c.connection, c.storageClass])),
    quanta: resolved.stats[task.index]?.quanta ?? 0,
  }));
  const globalInitOutputs = options.pipeline.globalInitOutputs.map((c) => init.get(c.datasetType) as GraphDatasetRef);
  const initIds = new Set([...init.values()].map((r) => r.id));
  for (const id of refsById.keys()) initIds.delete(id);
  datasetCount += refsById.size + initIds.size;
  return { quanta, tasks, globalInitOutputs, datasetCount };
}

let flattened = 0;

/**
 * A path built by concatenation is a tree of string pieces until something flattens it;
 * flattened while young (reading a character does it), the GC keeps only the flat copy, half
 * the memory of the tree. The character goes to a module variable so no compiler drops the read.
 */
function flatten(s: string | undefined): string | undefined {
  if (s !== undefined) flattened ^= s.charCodeAt(0) | 0;
  return s;
}

const RELEASED: (readonly number[])[] = [];
/** The prerequisites of the quanta of tasks without any (shared: quanta are read-only). */
const NO_REFS: Record<string, GraphDatasetRef[]> = Object.freeze({}) as Record<string, GraphDatasetRef[]>;

type PlanType = QuantumSkeleton['plan']['datasetTypes'][number];

/**
 * Init-outputs (per task and run-level) are predicted in the output run, or reused when the
 * run already holds them (`--extend-run`); init-inputs come from another task's init-output or
 * from the input collections. Returns dataset type → ref and adds existing ids to `existingIds`.
 */
async function resolveInitDatasets(options: AssembleQuantaOptions, existingIds: Set<string>, uuids: Uuid7Generator): Promise<Map<string, GraphDatasetRef>> {
  const { collections, registry, types } = options;
  const run = collections.outputRun;
  const out = new Map<string, GraphDatasetRef>();
  const produced: { conn: ResolvedConnection }[] = [
    ...options.skeleton.plan.tasks.flatMap((t: PlannedTask) => t.initOutputs.map((conn) => ({ conn }))),
    ...options.pipeline.globalInitOutputs.map((conn) => ({ conn })),
  ];
  for (const { conn } of produced) {
    if (out.has(conn.datasetType)) continue;
    const [found] = collections.outputRunExists ? await findExisting({ registry, types, datasetType: conn.datasetType, collections: [run], dataIds: [{}] }) : [undefined];
    if (found) {
      existingIds.add(found.id);
      out.set(conn.datasetType, { id: found.id, datasetType: found.datasetType, dataId: {}, run: found.run });
      continue;
    }
    const path = options.predictPath?.({ datasetType: conn.datasetType, storageClass: conn.storageClass, dataId: {}, run });
    out.set(conn.datasetType, { id: uuids.next(), datasetType: conn.datasetType, dataId: {}, run, ...(path !== undefined ? { path } : {}) });
  }
  for (const task of options.skeleton.plan.tasks) {
    for (const conn of task.initInputs) {
      if (out.has(conn.datasetType)) continue;
      const [found] = await findExisting({ registry, types, datasetType: conn.datasetType, collections: collections.searchPath, dataIds: [{}] });
      if (!found) {
        throw new PrerequisiteError(`Init-input "${conn.datasetType}" (connection "${conn.connection}") of task "${task.task.label}" is neither produced by this pipeline nor found in collections [${collections.searchPath.join(', ')}].`, {
          taskLabel: task.task.label,
          datasetType: conn.datasetType,
          hint: `Include the task writing it in the pipeline, or add the run that holds it to -i (check with: butler-ts query-datasets REPO ${conn.datasetType} --collections ${collections.searchPath.join(',')}).`,
        });
      }
      existingIds.add(found.id);
      out.set(conn.datasetType, { id: found.id, datasetType: found.datasetType, dataId: {}, run: found.run });
    }
  }
  return out;
}
