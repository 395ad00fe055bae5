const TWO_POW_31 = 2 ** 31;
const UUID_LENGTH = 36;
/** Strings this short fit a 2-byte length however they encode (3 bytes per UTF-16 unit at most). */
const SHORT_STRING = 5461;

/** Hex digit value by character code (lower case only), -1 for other characters. */
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) HEX_VALUE['0123456789abcdef'.charCodeAt(i)] = i;

/**
 * Appends binary values to a growable buffer: unsigned varints (LEB128, up to 2^53), UTF-8
 * strings with a varint length, UUIDs as 16 bytes. A record is written contiguously: the buffer
 * grows (never flushes) while one is being written.
 */
export class ByteWriter {
  buf: Buffer;
  pos = 0;

  constructor(size = 1 << 20) {
    this.buf = Buffer.allocUnsafe(size);
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  /** A non-negative integer up to 2^53. */
  uint(value: number): void {
    this.ensure(8);
    const b = this.buf;
    let v = value;
    if (v < TWO_POW_31) {
      while (v >= 0x80) {
        b[this.pos++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
    } else {
      while (v >= 0x80) {
        b[this.pos++] = (v % 0x80) | 0x80;
        v = Math.floor(v / 0x80);
      }
    }
    b[this.pos++] = v;
  }

  float64(value: number): void {
    this.ensure(8);
    this.pos = this.buf.writeDoubleLE(value, this.pos);
  }

  string(s: string): void {
    if (s.length <= SHORT_STRING) {
      // Written first, measured after: one pass over the string.
      this.ensure(2 + s.length * 3);
      const at = this.beginLength();
      this.pos += this.buf.write(s, this.pos, 'utf8');
      this.endLength(at);
      return;
    }
    const n = Buffer.byteLength(s, 'utf8');
    this.uint(n);
    this.ensure(n);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  /** Reserves a length prefix for what follows; {@link endLength} fills it in. */
  beginLength(): number {
    this.ensure(2);
    this.pos += 2;
    return this.pos - 2;
  }

  /**
   * Writes the byte count since `beginLength` returned `at` as a varint at `at` (two bytes,
   * not always the shortest form, which readers accept; moved up when it needs more).
   */
  endLength(at: number): void {
    const n = this.pos - at - 2;
    if (n < 1 << 14) {
      this.buf[at] = (n & 0x7f) | 0x80;
      this.buf[at + 1] = n >>> 7;
      return;
    }
    const end = this.pos;
    let size = 1;
    for (let v = n; v >= 0x80; v = Math.floor(v / 0x80)) size += 1;
    this.ensure(size - 2);
    this.buf.copyWithin(at + size, at + 2, end);
    this.pos = at;
    this.uint(n);
    this.pos = end + size - 2;
  }

  /** Writes `id` as 16 bytes and returns true when it is a lower-case UUID; else writes nothing. */
  uuid(id: string): boolean {
    this.ensure(16);
    if (!writeUuidBytes(id, this.buf, this.pos)) return false;
    this.pos += 16;
    return true;
  }
}

/**
 * Writes the 16 bytes of a lower-case UUID text at `offset` and returns true; returns false
 * (leaving the bytes undefined) when `id` is not one.
 */
export function writeUuidBytes(id: string, out: Buffer, offset: number): boolean {
  if (id.length !== UUID_LENGTH || id.charCodeAt(8) !== 45 || id.charCodeAt(13) !== 45 || id.charCodeAt(18) !== 45 || id.charCodeAt(23) !== 45) return false;
  let at = offset;
  for (let i = 0; i < UUID_LENGTH; i += 2) {
    if (i === 8 || i === 13 || i === 18 || i === 23) i += 1;
    // Codes past 127 index outside the table: undefined, caught below like -1.
    const hi = HEX_VALUE[id.charCodeAt(i)] as number;
    const lo = HEX_VALUE[id.charCodeAt(i + 1)] as number;
    if (!(hi >= 0 && lo >= 0)) return false;
    out[at++] = (hi << 4) | lo;
  }
  return true;
}
