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

const NONE: readonly number[] = Object.freeze([]);

/**
 * The quanta and dataset nodes implied by the data-ID rows, before any dataset is looked up.
 * Struct-of-arrays with integer ids so that a million quanta stay compact: each distinct
 * projection of a row on a dimension set is an "entry" (one map lookup per set and row, one
 * shared data-ID object), and tasks and dataset types map entries to their slots and nodes.
 */
export class QuantumSkeleton {
  /** Per task: slot ids in order of first appearance. */
  readonly taskSlots: number[][];
  readonly slotTask: number[] = [];
  readonly slotDataId: GraphDataId[] = [];
  /** Per slot, per input connection: node ids (a shared empty list until the first). */
  readonly slotInputs: (readonly number[])[][] = [];
  /** Per slot, per output connection: the node id. */
  readonly slotOutputs: number[][] = [];
  readonly slotState: SlotState[] = [];
  readonly nodeType: number[] = [];
  readonly nodeDataId: GraphDataId[] = [];
  /** Producing slot, or -1. */
  readonly nodeProducer: number[] = [];
  readonly nodeState: NodeState[] = [];
  /** Rows kept (after the dataset constraints). */
  rowCount = 0;
  /** Per dimension set: key → entry; entry → data ID. */
  private readonly entryMaps: Map<string, number>[];
  private readonly entryDataIds: GraphDataId[][];
  /** Per task: entry of its dimension set → slot, or -1. */
  private readonly slotOfEntry: number[][];
  /** Per dataset type: entry of its dimension set → node, or -1. */
  private readonly nodeOfEntry: number[][];
  /** Per dimension set: the slotOfEntry/nodeOfEntry arrays indexed by its entries. */
  private readonly dependents: number[][][];
  /** String values of data IDs, one copy each (the database returns a new string per row). */
  private readonly strings = new Map<string, string>();
  private readonly bigLists = new Map<readonly number[], Set<number>>();

  /**
   * `constraints`: rows whose projection on a dimension set is not a key of its map are dropped
   * (the existing overall inputs, fetched beforehand, constrain the data IDs in memory).
   */
  constructor(readonly plan: BuildPlan, private readonly constraints: readonly { readonly dims: DimensionSet; readonly keys: ReadonlyMap<string, unknown> }[] = []) {
    this.taskSlots = plan.tasks.map(() => []);
    this.entryMaps = plan.dimensionSets.map(() => new Map());
    this.entryDataIds = plan.dimensionSets.map(() => []);
    this.dependents = plan.dimensionSets.map(() => []);
    this.slotOfEntry = plan.tasks.map((t) => this.dependentOf(t.dims));
    this.nodeOfEntry = plan.datasetTypes.map((t) => this.dependentOf(t.dims));
  }

  private dependentOf(dims: DimensionSet): number[] {
    const list: number[] = [];
    (this.dependents[dims.index] as number[][]).push(list);
    return list;
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
    const entries: number[] = new Array(sets.length).fill(0);
    rows: for (const row of rows) {
      for (let s = 0; s < sets.length; s++) keys[s] = keyOf(sets[s] as DimensionSet, row);
      for (const c of this.constraints) if (!c.keys.has(keys[c.dims.index] as string)) continue rows;
      this.rowCount += 1;
      for (let s = 0; s < sets.length; s++) entries[s] = this.entryFor(sets[s] as DimensionSet, keys[s] as string, row);
      for (const task of this.plan.tasks) {
        const bySlot = this.slotOfEntry[task.index] as number[];
        const entry = entries[task.dims.index] as number;
        let slot = bySlot[entry] as number;
        if (slot < 0) {
          slot = this.slotTask.length;
          bySlot[entry] = slot;
          (this.taskSlots[task.index] as number[]).push(slot);
          this.slotTask.push(task.index);
          this.slotDataId.push((this.entryDataIds[task.dims.index] as GraphDataId[])[entry] as GraphDataId);
          this.slotState.push(SlotState.pending);
          this.slotInputs.push(task.inputs.map(() => NONE));
          const outputs: number[] = new Array(task.outputs.length);
          for (let o = 0; o < outputs.length; o++) {
            const type = (task.outputs[o] as (typeof task.outputs)[number]).type;
            const node = this.nodeFor(type.index, type.dims, entries[type.dims.index] as number);
            this.nodeProducer[node] = slot;
            outputs[o] = node;
          }
          this.slotOutputs.push(outputs);
        }
        const lists = this.slotInputs[slot] as (readonly number[])[];
        for (let c = 0; c < task.inputs.length; c++) {
          const type = (task.inputs[c] as (typeof task.inputs)[number]).type;
          lists[c] = this.addUnique(lists[c] as readonly number[], this.nodeFor(type.index, type.dims, entries[type.dims.index] as number));
        }
      }
    }
  }

  private entryFor(dims: DimensionSet, key: string, row: DataIdRow): number {
    const map = this.entryMaps[dims.index] as Map<string, number>;
    let entry = map.get(key);
    if (entry === undefined) {
      const dataIds = this.entryDataIds[dims.index] as GraphDataId[];
      entry = dataIds.length;
      map.set(key, entry);
      const out: Record<string, string | number> = {};
      for (const d of dims.names) {
        let v = row[d];
        if (v === undefined) continue;
        if (typeof v === 'string') {
          const known = this.strings.get(v);
          if (known === undefined) this.strings.set(v, v);
          else v = known;
        }
        out[d] = v;
      }
      dataIds.push(out);
      for (const list of this.dependents[dims.index] as number[][]) list.push(-1);
    }
    return entry;
  }

  private nodeFor(typeIndex: number, dims: DimensionSet, entry: number): number {
    const byNode = this.nodeOfEntry[typeIndex] as number[];
    let node = byNode[entry] as number;
    if (node < 0) {
      node = this.nodeType.length;
      byNode[entry] = node;
      this.nodeType.push(typeIndex);
      this.nodeDataId.push((this.entryDataIds[dims.index] as GraphDataId[])[entry] as GraphDataId);
      this.nodeProducer.push(-1);
      this.nodeState.push(NodeState.unknown);
    }
    return node;
  }

  /** `list` with `value` added when absent (a new array for the first value). */
  private addUnique(list: readonly number[], value: number): readonly number[] {
    if (list === NONE) return [value];
    const mutable = list as number[];
    if (list.length < 16) {
      if (!list.includes(value)) mutable.push(value);
      return list;
    }
    let set = this.bigLists.get(list);
    if (set === undefined) {
      set = new Set(list);
      this.bigLists.set(list, set);
    }
    if (!set.has(value)) {
      set.add(value);
      mutable.push(value);
    }
    return list;
  }

  /** Calls `fn` with the key and node id of every node of a dataset type (until keys are released). */
  forEachNodeKey(typeIndex: number, fn: (key: string, node: number) => void): void {
    const type = this.plan.datasetTypes[typeIndex];
    if (type === undefined) return;
    const byNode = this.nodeOfEntry[typeIndex] as number[];
    for (const [key, entry] of this.entryMaps[type.dims.index] as Map<string, number>) {
      const node = byNode[entry] as number;
      if (node >= 0) fn(key, node);
    }
  }

  /** Frees the key maps once datasets are resolved (they are the largest structures left). */
  releaseKeys(): void {
    for (const m of this.entryMaps) m.clear();
    for (const list of [...this.slotOfEntry, ...this.nodeOfEntry]) list.length = 0;
    for (const list of this.entryDataIds) list.length = 0;
  }

  /** Frees the lookup structures once all rows are in. */
  finishRows(): void {
    this.bigLists.clear();
    this.strings.clear();
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
