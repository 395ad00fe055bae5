import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { crc32, inflateRawSync } from 'node:zlib';
import { NotFoundError } from '../errors/index.js';
import { QuantumGraphFileError } from './graph-errors.js';
import {
  bytesToUuid, decodePrefix, decodeTrailer, FLAG_DEFLATE, ID_SIZE, INDEX_ENTRY_SIZE, PREFIX_SIZE, TRAILER_SIZE, type QgPrefix, type QgTrailer,
} from './quantum-graph-layout.js';
import { QUANTUM_GRAPH_FORMAT_VERSION, type Quantum, type QuantumGraph, type QuantumGraphHeader } from './quantum-graph-types.js';
import type { RecordCodecTables } from './quantum-record-codec.js';
import { RecordDecoder } from './quantum-record-decoder.js';

/** Random access to a `.qg` file: the header, and one quantum at a time. */
export interface QuantumGraphReader {
  readonly path: string;
  readonly header: QuantumGraphHeader;
  readonly quantumCount: number;
  /** The quantum at `index` (0-based, topological order); its record's CRC-32 is checked. */
  readQuantum(index: number): Quantum;
  /** The index of the quantum with this UUID; a NotFoundError naming the file when absent. */
  findQuantumIndex(id: string): number;
  close(): void;
}

const corrupted = (file: string, what: string, cause?: unknown): QuantumGraphFileError =>
  new QuantumGraphFileError(`"${file}" is corrupted: ${what}.`, { file, ...(cause !== undefined ? { cause } : {}), hint: 'Rebuild the graph with `qg build --save-qgraph`.' });

function readAt(fd: number, file: string, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, position + done);
    if (n === 0) throw new QuantumGraphFileError(`"${file}" is truncated: wanted ${length} bytes at offset ${position}.`, { file, hint: 'Rebuild the graph.' });
    done += n;
  }
  return buf;
}

function parseHeader(file: string, prefix: QgPrefix, bytes: Buffer): QuantumGraphHeader {
  if (crc32(bytes) !== prefix.headerCrc) throw corrupted(file, 'the header checksum does not match');
  try {
    return JSON.parse(bytes.toString('utf8')) as QuantumGraphHeader;
  } catch (err) {
    throw corrupted(file, 'the header is not valid JSON', err);
  }
}

function parseCodec(file: string, bytes: Buffer): RecordCodecTables {
  const len = bytes.readUInt32LE(0);
  if (len + 4 !== bytes.length) throw corrupted(file, 'the codec table length does not match its block');
  let tables: RecordCodecTables;
  try {
    tables = JSON.parse(bytes.toString('utf8', 4)) as RecordCodecTables;
  } catch (err) {
    throw corrupted(file, 'the codec tables are not valid JSON', err);
  }
  if (typeof tables !== 'object' || tables === null || ![tables.shapes, tables.strings, tables.tasks, tables.connections].every(Array.isArray)) {
    throw corrupted(file, 'the codec tables are incomplete');
  }
  return tables;
}

/** Checks and decodes the record at `bytes[start, end)`. */
function decodeRecord(options: { file: string; bytes: Buffer; start: number; end: number; crc: number; prefix: QgPrefix; index: number; decoder: RecordDecoder }): Quantum {
  const { file, bytes, index } = options;
  const raw = bytes.subarray(options.start, options.end);
  if (crc32(raw) !== options.crc) throw corrupted(file, `the record of quantum ${index} fails its CRC-32 check`);
  try {
    if ((options.prefix.flags & FLAG_DEFLATE) !== 0) {
      const plain = inflateRawSync(raw);
      return options.decoder.decode(plain, 0, plain.length, index);
    }
    return options.decoder.decode(bytes, options.start, options.end, index);
  } catch (err) {
    throw corrupted(file, `the record of quantum ${index} cannot be decoded (${(err as Error).message})`, err);
  }
}

/** Offset of an index entry's record (a u64 read as two u32s: files stay far below 2^53 bytes). */
function entryOffset(b: Buffer, at: number): number {
  return b.readUInt32LE(at) + b.readUInt32LE(at + 4) * 2 ** 32;
}

function openFile(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (err) {
    throw new QuantumGraphFileError(`Cannot open quantum graph "${path}": ${(err as Error).message}`, { file: path, cause: err, hint: 'Check the path; graphs are written by `qg build --save-qgraph FILE`.' });
  }
}

/**
 * Opens a `.qg` file for random access: reads the prefix, header, trailer and codec tables (not
 * the records). Jobs use it to read their one quantum. Synchronous.
 */
export function openQuantumGraph(path: string): QuantumGraphReader {
  const fd = openFile(path);
  try {
    const size = fstatSync(fd).size;
    if (size < PREFIX_SIZE) throw new QuantumGraphFileError(`"${path}" is truncated or not a quantum graph (${size} bytes).`, { file: path, hint: 'Rebuild the graph.' });
    const prefix = decodePrefix(readAt(fd, path, 0, PREFIX_SIZE), path, QUANTUM_GRAPH_FORMAT_VERSION);
    const trailer = decodeTrailer(readAt(fd, path, size - TRAILER_SIZE, TRAILER_SIZE), path, size);
    const header = parseHeader(path, prefix, readAt(fd, path, PREFIX_SIZE, prefix.headerLength));
    const tables = parseCodec(path, readAt(fd, path, trailer.codecOffset, size - TRAILER_SIZE - trailer.codecOffset));
    let ids: Map<string, number> | undefined;
    let closed = false;
    const decoder = new RecordDecoder(tables);
    return {
      path,
      header,
      quantumCount: trailer.quantumCount,
      readQuantum(index: number): Quantum {
        if (closed) throw new QuantumGraphFileError(`Quantum graph "${path}" is closed.`, { file: path });
        if (!Number.isInteger(index) || index < 0 || index >= trailer.quantumCount) {
          throw new QuantumGraphFileError(`Quantum index ${index} is out of range for "${path}", which has ${trailer.quantumCount} quanta.`, { file: path, hint: `Use an index from 0 to ${trailer.quantumCount - 1}.` });
        }
        const entry = readAt(fd, path, trailer.indexOffset + index * INDEX_ENTRY_SIZE, INDEX_ENTRY_SIZE);
        const offset = entryOffset(entry, 0);
        const length = entry.readUInt32LE(8);
        if (offset < PREFIX_SIZE + prefix.headerLength || offset + length > trailer.indexOffset) throw corrupted(path, `the index entry of quantum ${index} points outside the records`);
        return decodeRecord({ file: path, bytes: readAt(fd, path, offset, length), start: 0, end: length, crc: entry.readUInt32LE(12), prefix, index, decoder });
      },
      findQuantumIndex(id: string): number {
        if (ids === undefined) ids = idMap(readAt(fd, path, trailer.idTableOffset, trailer.quantumCount * ID_SIZE), trailer.quantumCount);
        const index = ids.get(id.trim().toLowerCase());
        if (index === undefined) {
          throw new NotFoundError(`Quantum "${id}" is not in quantum graph "${path}" (${trailer.quantumCount} quanta).`, { hint: `List the quantum ids with \`qg show ${path} --show workflow\`.` });
        }
        return index;
      },
      close(): void {
        if (!closed) closeSync(fd);
        closed = true;
      },
    };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

function idMap(table: Buffer, count: number): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i < count; i++) out.set(bytesToUuid(table, i * ID_SIZE), i);
  return out;
}

/** Reads a whole `.qg` file, verifying its SHA-256 and every record. Synchronous. */
export function readQuantumGraph(path: string): QuantumGraph {
  const fd = openFile(path);
  closeSync(fd);
  const bytes = readFileSync(path);
  const size = bytes.length;
  if (size < PREFIX_SIZE) throw new QuantumGraphFileError(`"${path}" is truncated or not a quantum graph (${size} bytes).`, { file: path, hint: 'Rebuild the graph.' });
  const prefix = decodePrefix(bytes.subarray(0, PREFIX_SIZE), path, QUANTUM_GRAPH_FORMAT_VERSION);
  const trailer: QgTrailer = decodeTrailer(bytes.subarray(size - TRAILER_SIZE), path, size);
  const digest = createHash('sha256').update(bytes.subarray(0, size - 40)).digest();
  if (!digest.equals(trailer.sha256)) throw corrupted(path, 'its SHA-256 does not match the content');
  const header = parseHeader(path, prefix, bytes.subarray(PREFIX_SIZE, PREFIX_SIZE + prefix.headerLength));
  const tables = parseCodec(path, bytes.subarray(trailer.codecOffset, size - TRAILER_SIZE));
  const quanta: Quantum[] = new Array(trailer.quantumCount);
  // A dataset read by several quanta becomes one object, as it was when the graph was built.
  const decoder = new RecordDecoder(tables, { shareRefs: true });
  const first = PREFIX_SIZE + prefix.headerLength;
  for (let i = 0; i < trailer.quantumCount; i++) {
    const at = trailer.indexOffset + i * INDEX_ENTRY_SIZE;
    const offset = entryOffset(bytes, at);
    const length = bytes.readUInt32LE(at + 8);
    if (offset < first || offset + length > trailer.indexOffset) throw corrupted(path, `the index entry of quantum ${i} points outside the records`);
    quanta[i] = decodeRecord({ file: path, bytes, start: offset, end: offset + length, crc: bytes.readUInt32LE(at + 12), prefix, index: i, decoder });
  }
  return { header, quanta };
}
