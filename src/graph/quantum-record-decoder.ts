import type { DataIdValue } from '../registry/index.js';
import { ByteReader } from './byte-reader.js';
import type { GraphDataId, GraphDatasetRef, Quantum } from './quantum-graph-types.js';
import { HAS_FORMATTER, HAS_PATH, HAS_REPLACES, ID_UUID, PATH_IN_RUN, REPLACES_UUID, type RecordCodecTables } from './quantum-record-codec.js';

/**
 * Decodes records (throws on malformed input; callers wrap the error with the file name).
 * With `shareRefs`, a dataset read by several quanta becomes one object, as when the graph was
 * built; data IDs equal to the previous one of their shape are shared too.
 */
export class RecordDecoder {
  /** Refs already read (when shared): by a number from their UUID (a list when two collide), or by id. */
  private readonly byUuid: Map<number, GraphDatasetRef | GraphDatasetRef[]> | undefined;
  private readonly byId: Map<string, GraphDatasetRef> | undefined;
  private readonly lastDataIds: (GraphDataId | undefined)[];
  /** Values of the data ID being read (sized once: growing it would deoptimize the reader). */
  private readonly values: DataIdValue[];
  private readonly runPrefixes: (Buffer | undefined)[];
  private readonly reader = new ByteReader(Buffer.alloc(0), 0, 0);

  constructor(private readonly tables: RecordCodecTables, options: { shareRefs?: boolean } = {}) {
    this.byUuid = options.shareRefs === true ? new Map() : undefined;
    this.byId = options.shareRefs === true ? new Map() : undefined;
    this.values = new Array<DataIdValue>(tables.shapes.reduce((most, s) => Math.max(most, s.length), 0)).fill(0);
    // Sized up front too: reads past the end of an array deoptimize the code that does them.
    this.lastDataIds = new Array<GraphDataId | undefined>(tables.shapes.length).fill(undefined);
    this.runPrefixes = new Array<Buffer | undefined>(tables.strings.length).fill(undefined);
  }

  /** The quantum whose record is `buf[start, end)`; `index` is its position in the file. */
  decode(buf: Buffer, start: number, end: number, index: number): Quantum {
    const r = this.reader.reset(buf, start, end);
    const task = r.uint();
    const names = this.tables.connections[task];
    const taskLabel = this.tables.tasks[task];
    if (names === undefined || taskLabel === undefined) throw new Error(`unknown task index ${task}`);
    const id = r.uint() === 1 ? r.uuid() : r.string();
    const dataId = this.dataId(r);
    const inputs = this.group(r, names.inputs);
    const prerequisites = this.group(r, names.prerequisites);
    const outputs = this.group(r, names.outputs);
    const n = r.uint();
    const upstream: number[] = new Array(n);
    let prev = 0;
    for (let i = 0; i < n; i++) {
      const z = r.uint();
      prev += z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      upstream[i] = prev;
    }
    if (r.pos !== end) throw new Error(`${end - r.pos} unexpected byte(s) after the record`);
    return { id, index, taskLabel, dataId, inputs, prerequisites, outputs, upstream };
  }

  private string(i: number): string {
    const s = this.tables.strings[i];
    if (s === undefined) throw new Error(`unknown string index ${i}`);
    return s;
  }

  private group(r: ByteReader, names: readonly string[]): Record<string, GraphDatasetRef[]> {
    const out: Record<string, GraphDatasetRef[]> = {};
    const count = r.uint();
    for (let c = 0; c < count; c++) {
      const name = names[r.uint()];
      if (name === undefined) throw new Error('unknown connection index');
      const n = r.uint();
      const refs: GraphDatasetRef[] = new Array(n);
      for (let j = 0; j < n; j++) refs[j] = this.ref(r);
      out[name] = refs;
    }
    return out;
  }

  private ref(r: ByteReader): GraphDatasetRef {
    const flags = r.uint();
    let id: string;
    let key = -1;
    if ((flags & ID_UUID) === 0) id = r.string();
    else {
      const at = r.pos;
      r.skip(16);
      if (this.byUuid !== undefined) {
        // Shared refs are found by a number taken from the UUID's bytes, checked against the
        // id: no id text is made for a dataset already read (most of a big graph's lookups).
        key = r.uuidKey(at);
        const known = this.byUuid.get(key);
        const found = known === undefined ? undefined : Array.isArray(known) ? known.find((ref) => r.uuidEquals(ref.id, at)) : r.uuidEquals(known.id, at) ? known : undefined;
        if (found !== undefined) {
          r.pos = r.lengthEnd();
          return found;
        }
      }
      id = r.uuidAt(at);
    }
    const end = r.lengthEnd();
    if (key < 0) {
      const known = this.byId?.get(id);
      if (known !== undefined) {
        r.pos = end;
        return known;
      }
    }
    const datasetType = this.string(r.uint());
    const runIndex = r.uint();
    const run = this.string(runIndex);
    const ref: { -readonly [K in keyof GraphDatasetRef]: GraphDatasetRef[K] } = { id, datasetType, dataId: this.dataId(r), run };
    if ((flags & HAS_PATH) !== 0) {
      if ((flags & PATH_IN_RUN) !== 0) {
        let prefix = this.runPrefixes[runIndex];
        if (prefix === undefined) this.runPrefixes[runIndex] = prefix = Buffer.from(`${run}/`, 'utf8');
        ref.path = r.prefixedString(prefix);
      } else ref.path = r.string();
    }
    if ((flags & HAS_FORMATTER) !== 0) ref.formatter = this.string(r.uint());
    if ((flags & HAS_REPLACES) !== 0) ref.replacesId = (flags & REPLACES_UUID) !== 0 ? r.uuid() : r.string();
    if (r.pos !== end) throw new Error(`dataset ${id} is ${r.pos - end} byte(s) off its length`);
    if (key >= 0) this.remember(key, ref);
    else this.byId?.set(id, ref);
    return ref;
  }

  private remember(key: number, ref: GraphDatasetRef): void {
    const map = this.byUuid as Map<number, GraphDatasetRef | GraphDatasetRef[]>;
    const known = map.get(key);
    if (known === undefined) map.set(key, ref);
    else if (Array.isArray(known)) known.push(ref);
    else map.set(key, [known, ref]);
  }

  private dataId(r: ByteReader): GraphDataId {
    const shape = r.uint();
    const keys = this.tables.shapes[shape];
    if (keys === undefined) throw new Error(`unknown data-ID shape ${shape}`);
    const values = this.values;
    for (let i = 0; i < keys.length; i++) values[i] = readValue(r, this.tables);
    const last = this.lastDataIds[shape];
    if (last !== undefined) {
      let same = true;
      for (let i = 0; i < keys.length && same; i++) same = last[keys[i] as string] === values[i];
      if (same) return last;
    }
    const out: Record<string, DataIdValue> = {};
    for (let i = 0; i < keys.length; i++) out[keys[i] as string] = values[i] as DataIdValue;
    this.lastDataIds[shape] = out;
    return out;
  }
}

function readValue(r: ByteReader, tables: RecordCodecTables): DataIdValue {
  const v = r.uint();
  const tag = v % 4;
  if (tag === 0) return v / 4;
  if (tag === 1) return -(v - 1) / 4 - 1;
  if (tag === 2) {
    const s = tables.strings[(v - 2) / 4];
    if (s === undefined) throw new Error(`unknown string index ${(v - 2) / 4}`);
    return s;
  }
  return r.float64();
}

