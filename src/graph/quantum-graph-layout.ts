import { QuantumGraphFileError } from './graph-errors.js';

/**
 * Layout of a `.qg` file (all integers little-endian):
 *
 * | part      | content |
 * |-----------|---------|
 * | prefix    | magic `BPSQG\0\r\n` (8), format version u32, flags u32 (bit 0: records deflated), header length u32, header CRC-32 u32 |
 * | header    | JSON {@link QuantumGraphHeader} |
 * | records   | one binary record per quantum (`quantum-record-codec.ts`), topological order (deflate-raw when flagged) |
 * | index     | per quantum: record offset u64, record length u32, record CRC-32 u32 |
 * | id table  | per quantum: its UUID's 16 bytes |
 * | codec     | JSON tables (data-ID shapes, strings, tasks, connection names), length u32 first |
 * | trailer   | index offset u64, id-table offset u64, codec offset u64, quantum count u64, SHA-256 of every byte before it (32), end magic `QGEND\0\r\n` (8) |
 *
 * Version 2 replaced version 1's JSON records by binary ones (smaller, faster both ways).
 * One quantum is read with two small reads (its index entry, then its record); the whole file
 * is verified by the SHA-256; the end magic detects a truncated or unfinished file.
 */
export const MAGIC = Buffer.from('BPSQG\0\r\n', 'latin1');
export const END_MAGIC = Buffer.from('QGEND\0\r\n', 'latin1');
export const PREFIX_SIZE = 24;
export const INDEX_ENTRY_SIZE = 16;
export const ID_SIZE = 16;
export const TRAILER_SIZE = 72;
export const FLAG_DEFLATE = 1;

/** The fixed-size prefix of a file. */
export interface QgPrefix {
  readonly version: number;
  readonly flags: number;
  readonly headerLength: number;
  readonly headerCrc: number;
}

/** The fixed-size trailer of a file. */
export interface QgTrailer {
  readonly indexOffset: number;
  readonly idTableOffset: number;
  readonly codecOffset: number;
  readonly quantumCount: number;
  readonly sha256: Buffer;
}

export function encodePrefix(p: QgPrefix): Buffer {
  const b = Buffer.alloc(PREFIX_SIZE);
  MAGIC.copy(b, 0);
  b.writeUInt32LE(p.version, 8);
  b.writeUInt32LE(p.flags, 12);
  b.writeUInt32LE(p.headerLength, 16);
  b.writeUInt32LE(p.headerCrc, 20);
  return b;
}

export function decodePrefix(b: Buffer, file: string, supportedVersion: number): QgPrefix {
  if (b.length < PREFIX_SIZE || !b.subarray(0, 8).equals(MAGIC)) {
    throw new QuantumGraphFileError(`"${file}" is not a bps-ts quantum graph (.qg) file: it does not start with the BPSQG magic.`, { file, hint: 'Pass a file written by `qg build --save-qgraph`.' });
  }
  const version = b.readUInt32LE(8);
  if (version !== supportedVersion) {
    throw new QuantumGraphFileError(`"${file}" is a version ${version} quantum graph; this bps-ts reads version ${supportedVersion}.`, { file, hint: 'Rebuild the graph with this version of `qg build`.' });
  }
  return { version, flags: b.readUInt32LE(12), headerLength: b.readUInt32LE(16), headerCrc: b.readUInt32LE(20) };
}

export function encodeTrailerFields(t: Omit<QgTrailer, 'sha256'>): Buffer {
  const b = Buffer.alloc(32);
  b.writeBigUInt64LE(BigInt(t.indexOffset), 0);
  b.writeBigUInt64LE(BigInt(t.idTableOffset), 8);
  b.writeBigUInt64LE(BigInt(t.codecOffset), 16);
  b.writeBigUInt64LE(BigInt(t.quantumCount), 24);
  return b;
}

/** Parses the trailer; `fileSize` is the size on disk, used to detect truncation. */
export function decodeTrailer(b: Buffer, file: string, fileSize: number): QgTrailer {
  if (fileSize < PREFIX_SIZE + TRAILER_SIZE || b.length !== TRAILER_SIZE || !b.subarray(64, 72).equals(END_MAGIC)) {
    throw new QuantumGraphFileError(`"${file}" is truncated or was not completely written (${fileSize} bytes, no end marker).`, { file, hint: 'Rebuild the graph; a complete file ends with the QGEND marker.' });
  }
  const t = {
    indexOffset: Number(b.readBigUInt64LE(0)),
    idTableOffset: Number(b.readBigUInt64LE(8)),
    codecOffset: Number(b.readBigUInt64LE(16)),
    quantumCount: Number(b.readBigUInt64LE(24)),
    sha256: Buffer.from(b.subarray(32, 64)),
  };
  const body = fileSize - TRAILER_SIZE;
  if (t.indexOffset > t.idTableOffset || t.idTableOffset > t.codecOffset || t.codecOffset > body
    || t.idTableOffset - t.indexOffset !== t.quantumCount * INDEX_ENTRY_SIZE || t.codecOffset - t.idTableOffset !== t.quantumCount * ID_SIZE) {
    throw new QuantumGraphFileError(`"${file}" is corrupted: its trailer does not describe the file (${t.quantumCount} quanta, index at ${t.indexOffset}, ${fileSize} bytes).`, { file, hint: 'Rebuild the graph.' });
  }
  return t;
}

/** 16 bytes → UUID text. */
export function bytesToUuid(b: Buffer, offset: number): string {
  const h = b.toString('hex', offset, offset + 16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
