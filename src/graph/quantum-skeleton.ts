import type { DataIdRow } from '../registry/index.js';
import type { BuildPlan, DimensionSet } from './build-plan.js';
import type { GraphDataId } from './quantum-graph-types.js';

/** States of a dataset node while the graph is resolved. */
export const NodeState = { unknown: 0, existing: 1, predicted: 2, missing: 3 } as const;
export type NodeState = (typeof NodeState)[keyof typeof NodeState];

/** States of a quantum slot. */
export const SlotState = { pending: 0, kept: 1, noWork: 2, skipped: 3 } as const;
export type SlotState = (typeof SlotState)[keyof typeof SlotState];

const SEP = '\u001f';

/**
 * The quanta and dataset nodes implied by the data-ID rows, before any dataset is looked up.
 * Struct-of-arrays with integer ids so that a million quanta stay compact.
 */
export class QuantumSkeleton {
  /** Per task: quantum key → slot id. */
  readonly quantumMaps: Map<string, number>[];
  /** Per task: slot ids in order of first appearance. */
  readonly taskSlots: number[][];
  readonly slotTask: number[] = [];
  readonly slotDataId: GraphDataId[] = [];
  /** Per slot, per input connection: node ids. */
  readonly slotInputs: number[][][] = [];
  /** Per slot, per output connection: the node id. */
  readonly slotOutputs: number[][] = [];
  readonly slotState: SlotState[] = [];
  /** Per dataset type: node key → node id. */
  readonly nodeMaps: Map<string, number>[];
  readonly nodeType: number[] = [];
  readonly nodeDataId: GraphDataId[] = [];
  /** Producing slot, or -1. */
  readonly nodeProducer: number[] = [];
  readonly nodeState: NodeState[] = [];
  /** Rows kept (after the dataset constraints). */
  rowCount = 0;
  private readonly dataIdCache: Map<string, GraphDataId>[];
  private readonly bigLists = new Map<number[], Set<number>>();

  /**
   * `constraints`: rows whose projection on a dimension set is not a key of its map are dropped
   * (the existing overall inputs, fetched beforehand, constrain the data IDs in memory).
   */
  constructor(readonly plan: BuildPlan, private readonly constraints: readonly { readonly dims: DimensionSet; readonly keys: ReadonlyMap<string, unknown> }[] = []) {
    this.quantumMaps = plan.tasks.map(() => new Map());
    this.taskSlots = plan.tasks.map(() => []);
    this.nodeMaps = plan.datasetTypes.map(() => new Map());
    this.dataIdCache = plan.dimensionSets.map(() => new Map());
  }

  get slotCount(): number {
    return this.slotTask.length;
  }

  get nodeCount(): number {
    return this.nodeType.length;
  }

  /** Adds the quanta and edges of a batch of rows of the union data-ID query. */
  addRows(rows: readonly DataIdRow[]): void {
    const sets = this.plan.dimensionSets;
    const keys: string[] = new Array(sets.length);
    rows: for (const row of rows) {
      for (let s = 0; s < sets.length; s++) keys[s] = keyOf(sets[s] as DimensionSet, row);
      for (const c of this.constraints) if (!c.keys.has(keys[c.dims.index] as string)) continue rows;
      this.rowCount += 1;
      for (const task of this.plan.tasks) {
        const qKey = keys[task.dims.index] as string;
        const map = this.quantumMaps[task.index] as Map<string, number>;
        let slot = map.get(qKey);
        if (slot === undefined) {
          slot = this.slotTask.length;
          map.set(qKey, slot);
          (this.taskSlots[task.index] as number[]).push(slot);
          this.slotTask.push(task.index);
          this.slotDataId.push(this.dataIdFor(task.dims, qKey, row));
          this.slotState.push(SlotState.pending);
          this.slotInputs.push(task.inputs.map(() => []));
          this.slotOutputs.push(
            task.outputs.map((o) => {
              const node = this.nodeFor(o.type.index, o.type.dims, keys[o.type.dims.index] as string, row);
              this.nodeProducer[node] = slot as number;
              return node;
            }),
          );
        }
        const lists = this.slotInputs[slot] as number[][];
        for (let c = 0; c < task.inputs.length; c++) {
          const type = (task.inputs[c] as (typeof task.inputs)[number]).type;
          this.addUnique(lists[c] as number[], this.nodeFor(type.index, type.dims, keys[type.dims.index] as string, row));
        }
      }
    }
  }

  private nodeFor(typeIndex: number, dims: DimensionSet, key: string, row: DataIdRow): number {
    const map = this.nodeMaps[typeIndex] as Map<string, number>;
    let node = map.get(key);
    if (node === undefined) {
      node = this.nodeType.length;
      map.set(key, node);
      this.nodeType.push(typeIndex);
      this.nodeDataId.push(this.dataIdFor(dims, key, row));
      this.nodeProducer.push(-1);
      this.nodeState.push(NodeState.unknown);
    }
    return node;
  }

  private dataIdFor(dims: DimensionSet, key: string, row: DataIdRow): GraphDataId {
    const cache = this.dataIdCache[dims.index] as Map<string, GraphDataId>;
    let dataId = cache.get(key);
    if (dataId === undefined) {
      const out: Record<string, string | number> = {};
      for (const d of dims.names) {
        const v = row[d];
        if (v !== undefined) out[d] = v;
      }
      dataId = out;
      cache.set(key, dataId);
    }
    return dataId;
  }

  private addUnique(list: number[], value: number): void {
    if (list.length < 16) {
      if (!list.includes(value)) list.push(value);
      return;
    }
    let set = this.bigLists.get(list);
    if (set === undefined) {
      set = new Set(list);
      this.bigLists.set(list, set);
    }
    if (!set.has(value)) {
      set.add(value);
      list.push(value);
    }
  }

  /** Frees the key maps once datasets are resolved (they are the largest structures left). */
  releaseKeys(): void {
    for (const m of this.quantumMaps) m.clear();
    for (const m of this.nodeMaps) m.clear();
  }

  /** Frees the lookup structures once all rows are in. */
  finishRows(): void {
    this.bigLists.clear();
    for (const cache of this.dataIdCache) cache.clear();
  }
}

/** The canonical key of a row projected on a dimension set. */
export function keyOf(dims: DimensionSet, row: Readonly<Record<string, unknown>>): string {
  const req = dims.required;
  if (req.length === 1) return String(row[req[0] as string]);
  let key = '';
  for (let i = 0; i < req.length; i++) key += (i === 0 ? '' : SEP) + String(row[req[i] as string]);
  return key;
}
