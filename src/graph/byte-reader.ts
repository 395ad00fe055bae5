/**
 * Node's per-encoding Buffer methods behind `toString`, called directly on hot paths to skip
 * its argument handling (a third of the cost of a short string). Part of Buffer.prototype since
 * Node 0.x, though not in the typings.
 */
interface SliceMethods {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

function latin1Slice(b: Buffer, start: number, end: number): string {
  return (b as unknown as SliceMethods).latin1Slice(start, end);
}

function utf8Slice(b: Buffer, start: number, end: number): string {
  return (b as unknown as SliceMethods).utf8Slice(start, end);
}

const HEX = Buffer.from('0123456789abcdef', 'latin1');
/** Byte offsets in the 36-character text of each of the 16 bytes of a UUID. */
const TEXT_AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

/** The text of the UUID in `b` at `offset`, as one flat string; `scratch` is a 36-byte buffer with the dashes. */
export function formatUuid(b: Buffer, offset: number, scratch: Buffer): string {
  for (let i = 0; i < 16; i++) {
    const v = b[offset + i] as number;
    const at = TEXT_AT[i] as number;
    scratch[at] = HEX[v >> 4] as number;
    scratch[at + 1] = HEX[v & 15] as number;
  }
  return latin1Slice(scratch, 0, 36);
}

/** Reads what {@link ByteWriter} wrote, failing (instead of reading garbage) at the end of the record. */
export class ByteReader {
  pos: number;
  private readonly uuidText = Buffer.from('00000000-0000-0000-0000-000000000000', 'latin1');
  private scratch = Buffer.alloc(0);
  /** The prefix the scratch buffer starts with. */
  private scratchPrefix: Buffer | undefined;

  constructor(public buf: Buffer, start: number, public end: number) {
    this.pos = start;
  }

  /** Points the reader at another record. */
  reset(buf: Buffer, start: number, end: number): this {
    this.buf = buf;
    this.pos = start;
    this.end = end;
    return this;
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw new Error(`record ends early (wanted ${n} byte(s) at ${this.pos})`);
  }

  uint(): number {
    const b = this.buf;
    if (this.pos >= this.end) this.need(1);
    let byte = b[this.pos++] as number;
    if (byte < 0x80) return byte;
    let v = byte & 0x7f;
    let scale = 0x80;
    for (;;) {
      if (this.pos >= this.end) this.need(1);
      byte = b[this.pos++] as number;
      v += (byte & 0x7f) * scale;
      if (byte < 0x80) return v;
      scale *= 0x80;
      if (scale > 2 ** 56) throw new Error('varint too long');
    }
  }

  /** A varint length and the end of the bytes it counts, checked against the record's end. */
  lengthEnd(): number {
    const n = this.uint();
    this.need(n);
    return this.pos + n;
  }

  float64(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  string(): string {
    const n = this.uint();
    this.need(n);
    const s = utf8Slice(this.buf, this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  skipString(): void {
    const n = this.uint();
    this.need(n);
    this.pos += n;
  }

  /** A string stored without its known prefix, made one flat string (not a concatenation). */
  prefixedString(prefix: Buffer): string {
    const n = this.uint();
    this.need(n);
    const total = prefix.length + n;
    if (this.scratch.length < total) {
      this.scratch = Buffer.allocUnsafe(Math.max(total, 4096));
      this.scratchPrefix = undefined;
    }
    const scratch = this.scratch;
    if (this.scratchPrefix !== prefix) {
      prefix.copy(scratch, 0);
      this.scratchPrefix = prefix;
    }
    const b = this.buf;
    let from = this.pos;
    // Paths are short: a loop beats Buffer#copy's argument handling.
    for (let to = prefix.length; to < total; to++) scratch[to] = b[from++] as number;
    this.pos = from;
    return utf8Slice(scratch, 0, total);
  }

  uuid(): string {
    this.need(16);
    const s = formatUuid(this.buf, this.pos, this.uuidText);
    this.pos += 16;
    return s;
  }

  /** A 30-bit number from the last 4 bytes of the UUID at `at` (random in versions 4 and 7): a cheap map key. */
  uuidKey(at: number): number {
    const b = this.buf;
    return ((b[at + 12] as number) | ((b[at + 13] as number) << 8) | ((b[at + 14] as number) << 16) | (((b[at + 15] as number) & 0x3f) << 24));
  }

  /** Whether `text` is the UUID whose 16 bytes are at `at`. */
  uuidEquals(text: string, at: number): boolean {
    const b = this.buf;
    for (let i = 0; i < 16; i++) {
      const v = b[at + i] as number;
      const p = TEXT_AT[i] as number;
      if (text.charCodeAt(p) !== HEX[v >> 4] || text.charCodeAt(p + 1) !== HEX[v & 15]) return false;
    }
    return true;
  }

  /** The text of the UUID whose 16 bytes are at `at`. */
  uuidAt(at: number): string {
    return formatUuid(this.buf, at, this.uuidText);
  }

  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }
}
