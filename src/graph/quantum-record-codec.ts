import type { ByteWriter } from './byte-writer.js';
import type { GraphDataId, GraphDatasetRef, Quantum } from './quantum-graph-types.js';

/** Connection names of one task, by kind; records refer to them by position. */
export interface TaskConnectionNames {
  inputs: string[];
  prerequisites: string[];
  outputs: string[];
}

/** Tables that make quantum records compact: names are written once, records hold indexes. */
export interface RecordCodecTables {
  /** Data-ID shapes: the dimension names of a data ID, in order. */
  shapes: string[][];
  /** Dataset types, runs, formatters and string data-ID values. */
  strings: string[];
  tasks: string[];
  connections: TaskConnectionNames[];
}

/*
 * Binary record of one quantum (varints are unsigned LEB128; "id" is a flag byte 1 and 16
 * bytes for a lower-case UUID, else 0 and a string; strings are a varint byte length and UTF-8):
 *   task, id, data ID, inputs, prerequisites, outputs, upstream count, upstream (zigzag deltas)
 * data ID: shape, then one value per dimension: varint v, v%4 = 0 integer v/4, 1 integer
 *   -(v-1)/4-1, 2 string table index (v-2)/4, 3 float64 follows
 * group: connection count, then per connection: name index, ref count, refs
 * ref: flags, id (16 bytes or a string), byte length of the rest (so a reader that knows the
 *   dataset skips it), dataset type, run, data ID, [path], [formatter], [replacesId]
 */
export const ID_UUID = 1;
export const HAS_PATH = 2;
/** The path is `<run>/` followed by the stored string. */
export const PATH_IN_RUN = 4;
export const HAS_FORMATTER = 8;
export const HAS_REPLACES = 16;
export const REPLACES_UUID = 32;
const MAX_SMALL_INT = 2 ** 50;

/** Encodes quanta into binary records, growing the tables as it goes. */
export class RecordEncoder {
  readonly tables: RecordCodecTables = { shapes: [], strings: [], tasks: [], connections: [] };
  private readonly stringIndex = new Map<string, number>();
  private readonly taskIndex = new Map<string, number>();
  private lastShape = -1;
  // Data IDs are shared objects (a quantum and its outputs): the last one is copied, not re-encoded.
  private lastDataId: GraphDataId | undefined;
  private lastStart = 0;
  private lastEnd = 0;

  /** Appends the record of `q` to `out`. */
  encode(q: Quantum, out: ByteWriter): void {
    this.lastDataId = undefined;
    let task = this.taskIndex.get(q.taskLabel);
    if (task === undefined) {
      task = this.tables.tasks.length;
      this.tables.tasks.push(q.taskLabel);
      this.tables.connections.push({ inputs: [], prerequisites: [], outputs: [] });
      this.taskIndex.set(q.taskLabel, task);
    }
    const names = this.tables.connections[task] as TaskConnectionNames;
    out.uint(task);
    out.ensure(1);
    const flagAt = out.pos++;
    const isUuid = out.uuid(q.id);
    out.buf[flagAt] = isUuid ? 1 : 0;
    if (!isUuid) out.string(q.id);
    this.dataId(q.dataId, out);
    this.group(q.inputs, names.inputs, out);
    this.group(q.prerequisites, names.prerequisites, out);
    this.group(q.outputs, names.outputs, out);
    out.uint(q.upstream.length);
    let prev = 0;
    for (const u of q.upstream) {
      const d = u - prev;
      out.uint(d >= 0 ? d * 2 : -d * 2 - 1);
      prev = u;
    }
  }

  private string(s: string): number {
    let i = this.stringIndex.get(s);
    if (i === undefined) {
      i = this.tables.strings.length;
      this.tables.strings.push(s);
      this.stringIndex.set(s, i);
    }
    return i;
  }

  private group(refs: Readonly<Record<string, readonly GraphDatasetRef[]>>, names: string[], out: ByteWriter): void {
    const keys = Object.keys(refs);
    out.uint(keys.length);
    for (const name of keys) {
      let i = names.indexOf(name);
      if (i < 0) {
        i = names.length;
        names.push(name);
      }
      const list = refs[name] as readonly GraphDatasetRef[];
      out.uint(i);
      out.uint(list.length);
      for (const r of list) this.ref(r, out);
    }
  }

  private ref(r: GraphDatasetRef, out: ByteWriter): void {
    out.ensure(1);
    const flagsAt = out.pos++;
    let flags = 0;
    // The uuid is written before the flags are known: `uuid` writes nothing when it fails.
    if (out.uuid(r.id)) flags |= ID_UUID;
    else out.string(r.id);
    const lengthAt = out.beginLength();
    out.uint(this.string(r.datasetType));
    const run = r.run;
    out.uint(this.string(run));
    this.dataId(r.dataId, out);
    const path = r.path;
    if (path !== undefined) {
      flags |= HAS_PATH;
      if (path.length > run.length && path.charCodeAt(run.length) === 47 && path.startsWith(run)) {
        flags |= PATH_IN_RUN;
        out.string(path.slice(run.length + 1));
      } else out.string(path);
    }
    if (r.formatter !== undefined) {
      flags |= HAS_FORMATTER;
      out.uint(this.string(r.formatter));
    }
    if (r.replacesId !== undefined) {
      flags |= HAS_REPLACES;
      if (out.uuid(r.replacesId)) flags |= REPLACES_UUID;
      else out.string(r.replacesId);
    }
    out.endLength(lengthAt);
    out.buf[flagsAt] = flags;
  }

  private dataId(d: GraphDataId, out: ByteWriter): void {
    if (d === this.lastDataId) {
      const n = this.lastEnd - this.lastStart;
      out.ensure(n);
      out.buf.copyWithin(out.pos, this.lastStart, this.lastEnd);
      out.pos += n;
      return;
    }
    const start = out.pos;
    const shape = this.shape(d);
    out.uint(shape);
    // for-in over a data ID reads its values by the object's own layout (no key lookups).
    for (const k in d) {
      const v = d[k];
      if (typeof v === 'string') out.uint(this.string(v) * 4 + 2);
      else if (typeof v === 'number') {
        if (Number.isInteger(v) && v >= 0 && v <= MAX_SMALL_INT) out.uint(v * 4);
        else if (Number.isInteger(v) && v < 0 && v >= -MAX_SMALL_INT) out.uint((-v - 1) * 4 + 1);
        else {
          out.uint(3);
          out.float64(v);
        }
      } else throw new Error(`data-ID value of "${k}" is a ${typeof v}, not a string or number`);
    }
    this.lastDataId = d;
    this.lastStart = start;
    this.lastEnd = out.pos;
  }

  /** The shape of a data ID: the last one used, another known one, or a new one. */
  private shape(d: GraphDataId): number {
    const shapes = this.tables.shapes;
    const last = shapes[this.lastShape];
    if (last !== undefined && hasKeys(d, last)) return this.lastShape;
    for (let i = 0; i < shapes.length; i++) {
      if (hasKeys(d, shapes[i] as string[])) {
        this.lastShape = i;
        return i;
      }
    }
    this.lastShape = shapes.length;
    shapes.push(Object.keys(d));
    return this.lastShape;
  }
}

/** Whether the own enumerable keys of `d` are `keys`, in order (no array made). */
function hasKeys(d: GraphDataId, keys: readonly string[]): boolean {
  let i = 0;
  for (const k in d) {
    if (keys[i] !== k) return false;
    i += 1;
  }
  return i === keys.length;
}
