import type { DataIdValue } from '../registry/index.js';
import type { GraphDataId, GraphDatasetRef, Quantum } from './quantum-graph-types.js';

/** Connection names of one task, by kind, in the order records list them. */
export interface TaskConnectionNames {
  inputs: string[];
  prerequisites: string[];
  outputs: string[];
}

/** Tables that make quantum records compact: names are written once, records hold indexes. */
export interface RecordCodecTables {
  /** Data-ID shapes: the dimension names of a data ID, in order. */
  shapes: string[][];
  datasetTypes: string[];
  runs: string[];
  tasks: string[];
  connections: TaskConnectionNames[];
}

type EncodedRef = [string, number, number, number, DataIdValue[], string?, string?, string?];
type EncodedQuantum = [string, number, number, DataIdValue[], EncodedRef[][], EncodedRef[][], EncodedRef[][], number[]];

/** Encodes quanta into compact JSON records, growing the tables as it goes. */
export class RecordEncoder {
  readonly tables: RecordCodecTables = { shapes: [], datasetTypes: [], runs: [], tasks: [], connections: [] };
  private readonly shapeIndex = new Map<string, number>();
  private readonly typeIndex = new Map<string, number>();
  private readonly runIndex = new Map<string, number>();
  private readonly taskIndex = new Map<string, number>();

  /** The record of one quantum, as a JSON string. */
  encode(q: Quantum): string {
    let task = this.taskIndex.get(q.taskLabel);
    if (task === undefined) {
      task = this.tables.tasks.length;
      this.tables.tasks.push(q.taskLabel);
      this.tables.connections.push({ inputs: [], prerequisites: [], outputs: [] });
      this.taskIndex.set(q.taskLabel, task);
    }
    const names = this.tables.connections[task] as TaskConnectionNames;
    const [shape, values] = this.dataId(q.dataId);
    const record: EncodedQuantum = [
      q.id, task, shape, values,
      this.group(q.inputs, names.inputs), this.group(q.prerequisites, names.prerequisites), this.group(q.outputs, names.outputs),
      q.upstream as number[],
    ];
    return JSON.stringify(record);
  }

  private group(refs: Readonly<Record<string, readonly GraphDatasetRef[]>>, names: string[]): EncodedRef[][] {
    const out: EncodedRef[][] = [];
    for (const [name, list] of Object.entries(refs)) {
      let i = names.indexOf(name);
      if (i < 0) {
        i = names.length;
        names.push(name);
      }
      while (out.length <= i) out.push([]);
      out[i] = list.map((r) => this.ref(r));
    }
    return out;
  }

  private ref(r: GraphDatasetRef): EncodedRef {
    const [shape, values] = this.dataId(r.dataId);
    const out: EncodedRef = [r.id, intern(this.typeIndex, this.tables.datasetTypes, r.datasetType), intern(this.runIndex, this.tables.runs, r.run), shape, values];
    if (r.path !== undefined || r.formatter !== undefined || r.replacesId !== undefined) out.push(r.path ?? '');
    if (r.formatter !== undefined || r.replacesId !== undefined) out.push(r.formatter ?? '');
    if (r.replacesId !== undefined) out.push(r.replacesId);
    return out;
  }

  private dataId(dataId: GraphDataId): [number, DataIdValue[]] {
    const keys = Object.keys(dataId);
    const shape = intern(this.shapeIndex, this.tables.shapes, keys.join(','), () => keys);
    return [shape, keys.map((k) => dataId[k] as DataIdValue)];
  }
}

function intern<T>(index: Map<string, number>, table: T[], key: string, make: () => T = () => key as unknown as T): number {
  let i = index.get(key);
  if (i === undefined) {
    i = table.length;
    table.push(make());
    index.set(key, i);
  }
  return i;
}

/** Decodes one record (throws on malformed input; callers wrap the error with the file name). */
export function decodeQuantumRecord(text: string, index: number, tables: RecordCodecTables, refCache?: Map<string, GraphDatasetRef>): Quantum {
  const r = JSON.parse(text) as EncodedQuantum;
  if (!Array.isArray(r) || r.length !== 8) throw new Error('record is not an 8-element array');
  const [id, task, shape, values, ins, pres, outs, upstream] = r;
  const names = tables.connections[task];
  const label = tables.tasks[task];
  if (names === undefined || label === undefined) throw new Error(`unknown task index ${task}`);
  return {
    id,
    index,
    taskLabel: label,
    dataId: makeDataId(tables, shape, values),
    inputs: decodeGroup(ins, names.inputs, tables, refCache),
    prerequisites: decodeGroup(pres, names.prerequisites, tables, refCache),
    outputs: decodeGroup(outs, names.outputs, tables, refCache),
    upstream,
  };
}

function decodeGroup(groups: EncodedRef[][], names: readonly string[], tables: RecordCodecTables, refCache: Map<string, GraphDatasetRef> | undefined): Record<string, GraphDatasetRef[]> {
  const out: Record<string, GraphDatasetRef[]> = {};
  for (let i = 0; i < names.length; i++) {
    const encoded = groups[i] ?? [];
    const refs: GraphDatasetRef[] = new Array(encoded.length);
    for (let j = 0; j < encoded.length; j++) {
      const e = encoded[j] as EncodedRef;
      let ref = refCache?.get(e[0]);
      if (ref === undefined) {
        ref = decodeRef(e, tables);
        refCache?.set(e[0], ref);
      }
      refs[j] = ref;
    }
    out[names[i] as string] = refs;
  }
  return out;
}

function decodeRef(e: EncodedRef, tables: RecordCodecTables): GraphDatasetRef {
  const [id, type, run, shape, values, path, formatter, replacesId] = e;
  const datasetType = tables.datasetTypes[type];
  const runName = tables.runs[run];
  if (datasetType === undefined || runName === undefined) throw new Error(`unknown dataset type or run index in ref ${id}`);
  const ref: { -readonly [K in keyof GraphDatasetRef]: GraphDatasetRef[K] } = { id, datasetType, dataId: makeDataId(tables, shape, values), run: runName };
  if (path) ref.path = path;
  if (formatter) ref.formatter = formatter;
  if (replacesId) ref.replacesId = replacesId;
  return ref;
}

function makeDataId(tables: RecordCodecTables, shape: number, values: readonly DataIdValue[]): GraphDataId {
  const keys = tables.shapes[shape];
  if (keys === undefined || keys.length !== values.length) throw new Error(`bad data-ID shape ${shape}`);
  const out: Record<string, DataIdValue> = {};
  for (let i = 0; i < keys.length; i++) out[keys[i] as string] = values[i] as DataIdValue;
  return out;
}
