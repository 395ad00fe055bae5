import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { crc32, deflateRawSync } from 'node:zlib';
import { QuantumGraphFileError } from './graph-errors.js';
import { encodePrefix, encodeTrailerFields, END_MAGIC, FLAG_DEFLATE, ID_SIZE, INDEX_ENTRY_SIZE } from './quantum-graph-layout.js';
import { QUANTUM_GRAPH_FORMAT_VERSION, type QuantumGraph } from './quantum-graph-types.js';
import { RecordEncoder } from './quantum-record-codec.js';
import { ByteWriter, writeUuidBytes } from './byte-writer.js';

/** Options of {@link writeQuantumGraph}. */
export interface WriteQuantumGraphOptions {
  /** Deflate each record (smaller files, slower writes); default false. */
  readonly compress?: boolean;
}

/** What was written. */
export interface WriteQuantumGraphResult {
  readonly path: string;
  readonly bytes: number;
  readonly quanta: number;
}

const CHUNK = 1 << 20;

/**
 * Writes a graph as a `.qg` file (layout in `quantum-graph-layout.ts`): to a temporary file in
 * the same directory, then renamed, so a reader never sees a partial file. Synchronous.
 */
export function writeQuantumGraph(path: string, graph: QuantumGraph, options: WriteQuantumGraphOptions = {}): WriteQuantumGraphResult {
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  let fd: number;
  try {
    fd = openSync(tmp, 'w');
  } catch (err) {
    throw new QuantumGraphFileError(`Cannot write quantum graph "${path}": ${(err as Error).message}`, { file: path, cause: err, hint: 'Check that the directory exists and is writable.' });
  }
  const hash = createHash('sha256');
  // Records are encoded straight into one chunk buffer, which is hashed and written when full.
  const out = new ByteWriter(2 * CHUNK);
  let flushed = 0;
  const writeAll = (b: Buffer): void => {
    hash.update(b);
    for (let done = 0; done < b.length;) done += writeSync(fd, b, done, b.length - done);
    flushed += b.length;
  };
  const flush = (): void => {
    if (out.pos > 0) writeAll(out.buf.subarray(0, out.pos));
    out.pos = 0;
  };
  const put = (b: Buffer): void => {
    out.ensure(b.length);
    out.pos += b.copy(out.buf, out.pos);
  };
  try {
    const compress = options.compress === true;
    const header = Buffer.from(JSON.stringify({ ...graph.header, formatVersion: QUANTUM_GRAPH_FORMAT_VERSION, quantumCount: graph.quanta.length }), 'utf8');
    put(encodePrefix({ version: QUANTUM_GRAPH_FORMAT_VERSION, flags: compress ? FLAG_DEFLATE : 0, headerLength: header.length, headerCrc: crc32(header) }));
    put(header);
    const n = graph.quanta.length;
    const index = Buffer.alloc(n * INDEX_ENTRY_SIZE);
    const ids = Buffer.alloc(n * ID_SIZE);
    const encoder = new RecordEncoder();
    for (let i = 0; i < n; i++) {
      const q = graph.quanta[i];
      if (q === undefined || q.index !== i) {
        throw new QuantumGraphFileError(`Cannot write quantum graph "${path}": quantum at position ${i} has index ${q?.index ?? 'none'}.`, { file: path, hint: 'Quanta must be numbered 0..n-1 in topological order (internal error of the caller).' });
      }
      const start = out.pos;
      encoder.encode(q, out);
      if (compress) {
        const rec = deflateRawSync(out.buf.subarray(start, out.pos), { level: 1 });
        out.pos = start;
        put(rec);
      }
      const offset = flushed + start;
      index.writeUInt32LE(offset % 2 ** 32, i * INDEX_ENTRY_SIZE);
      index.writeUInt32LE(Math.floor(offset / 2 ** 32), i * INDEX_ENTRY_SIZE + 4);
      index.writeUInt32LE(out.pos - start, i * INDEX_ENTRY_SIZE + 8);
      index.writeUInt32LE(crc32(out.buf.subarray(start, out.pos)), i * INDEX_ENTRY_SIZE + 12);
      // Zeros for an id that is not a UUID (never made by the builder): no lookup matches them.
      if (!writeUuidBytes(q.id, ids, i * ID_SIZE)) ids.fill(0, i * ID_SIZE, (i + 1) * ID_SIZE);
      if (out.pos >= CHUNK) flush();
    }
    flush();
    const indexOffset = flushed;
    writeAll(index);
    const idTableOffset = flushed;
    writeAll(ids);
    const codecOffset = flushed;
    const codec = Buffer.from(JSON.stringify(encoder.tables), 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32LE(codec.length, 0);
    writeAll(Buffer.concat([len, codec]));
    const fields = encodeTrailerFields({ indexOffset, idTableOffset, codecOffset, quantumCount: n });
    hash.update(fields);
    const trailer = Buffer.concat([fields, hash.digest(), END_MAGIC]);
    for (let done = 0; done < trailer.length;) done += writeSync(fd, trailer, done, trailer.length - done);
    const bytes = flushed + trailer.length;
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, path);
    return { path, bytes, quanta: n };
  } catch (err) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(tmp, { force: true });
    if (err instanceof QuantumGraphFileError) throw err;
    throw new QuantumGraphFileError(`Cannot write quantum graph "${path}": ${(err as Error).message}`, { file: path, cause: err, hint: 'Check free disk space and permissions.' });
  }
}
