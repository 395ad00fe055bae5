import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { crc32, deflateRawSync } from 'node:zlib';
import { QuantumGraphFileError } from './graph-errors.js';
import {
  encodePrefix, encodeTrailerFields, END_MAGIC, FLAG_DEFLATE, ID_SIZE, INDEX_ENTRY_SIZE, uuidToBytes,
} from './quantum-graph-layout.js';
import { QUANTUM_GRAPH_FORMAT_VERSION, type QuantumGraph } from './quantum-graph-types.js';
import { RecordEncoder } from './quantum-record-codec.js';

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
  let offset = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = (): void => {
    if (pendingBytes === 0) return;
    const buf = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, pendingBytes);
    writeSync(fd, buf);
    pending = [];
    pendingBytes = 0;
  };
  const put = (b: Buffer): void => {
    hash.update(b);
    pending.push(b);
    pendingBytes += b.length;
    offset += b.length;
    if (pendingBytes >= CHUNK) flush();
  };
  try {
    const compress = options.compress === true;
    const header = Buffer.from(JSON.stringify({ ...graph.header, quantumCount: graph.quanta.length }), 'utf8');
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
      let rec = Buffer.from(encoder.encode(q), 'utf8');
      if (compress) rec = deflateRawSync(rec, { level: 1 });
      index.writeBigUInt64LE(BigInt(offset), i * INDEX_ENTRY_SIZE);
      index.writeUInt32LE(rec.length, i * INDEX_ENTRY_SIZE + 8);
      index.writeUInt32LE(crc32(rec), i * INDEX_ENTRY_SIZE + 12);
      uuidToBytes(q.id, ids, i * ID_SIZE);
      put(rec);
    }
    const indexOffset = offset;
    put(index);
    const idTableOffset = offset;
    put(ids);
    const codecOffset = offset;
    const codec = Buffer.from(JSON.stringify(encoder.tables), 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32LE(codec.length, 0);
    put(len);
    put(codec);
    const fields = encodeTrailerFields({ indexOffset, idTableOffset, codecOffset, quantumCount: n });
    hash.update(fields);
    const trailer = Buffer.concat([fields, hash.digest(), END_MAGIC]);
    pending.push(trailer);
    pendingBytes += trailer.length;
    offset += trailer.length;
    flush();
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, path);
    return { path, bytes: offset, quanta: n };
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
