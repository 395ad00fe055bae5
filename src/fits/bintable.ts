import { FitsError } from './fits-error.js';
import { FitsHeader } from './fits-header.js';

/** Column types supported in binary tables: 32/64-bit integers, 32/64-bit reals, strings, 16-bit, logical, byte. */
export const columnFormats = ['J', 'K', 'E', 'D', 'A', 'I', 'L', 'B'] as const;
export type ColumnFormat = (typeof columnFormats)[number];

/** One column of a binary table. `width` is the string length for `A` columns (repeat count). */
export interface FitsColumn {
  name: string;
  format: ColumnFormat;
  width?: number;
  unit?: string;
}

/** Column values: numbers (K columns beyond 2^53 lose precision), strings for A, booleans for L. */
export type ColumnValues = number[] | string[] | boolean[];

/** A binary table: column definitions and one value array per column name. */
export interface FitsTable {
  columns: FitsColumn[];
  rows: number;
  data: Record<string, ColumnValues>;
}

/** Input accepted by the writer: columns and arrays (typed arrays allowed). */
export interface FitsTableInput {
  columns: FitsColumn[];
  data: Record<string, ArrayLike<number> | readonly string[] | readonly boolean[]>;
}

const byteSize: Record<ColumnFormat, number> = { J: 4, K: 8, E: 4, D: 8, A: 1, I: 2, L: 1, B: 1 };

function columnBytes(column: FitsColumn): number {
  return column.format === 'A' ? (column.width ?? 1) : byteSize[column.format];
}

/** Builds the BINTABLE header and data (unpadded) for a table. */
export function encodeTable(table: FitsTableInput, extname?: string): { header: FitsHeader; data: Buffer } {
  const rowBytes = table.columns.reduce((sum, c) => sum + columnBytes(c), 0);
  const rows = table.columns.length === 0 ? 0 : (table.data[table.columns[0]!.name]?.length ?? 0);
  const header = new FitsHeader()
    .set('XTENSION', 'BINTABLE', 'binary table extension')
    .set('BITPIX', 8)
    .set('NAXIS', 2)
    .set('NAXIS1', rowBytes, 'bytes per row')
    .set('NAXIS2', rows, 'number of rows')
    .set('PCOUNT', 0)
    .set('GCOUNT', 1)
    .set('TFIELDS', table.columns.length);
  table.columns.forEach((column, i) => {
    header.set(`TTYPE${i + 1}`, column.name);
    header.set(`TFORM${i + 1}`, column.format === 'A' ? `${column.width ?? 1}A` : column.format);
    if (column.unit !== undefined) header.set(`TUNIT${i + 1}`, column.unit);
  });
  if (extname !== undefined) header.set('EXTNAME', extname);
  const data = Buffer.alloc(rowBytes * rows);
  let offset = 0;
  for (let row = 0; row < rows; row++) {
    for (const column of table.columns) {
      const values = table.data[column.name];
      if (values === undefined || values.length !== rows) {
        throw new FitsError(
          `cannot write FITS table: column '${column.name}' has ${values?.length ?? 0} values, expected ${rows}`,
          { keyword: column.name },
        );
      }
      writeValue(data, offset, column, values[row]);
      offset += columnBytes(column);
    }
  }
  return { header, data };
}

function writeValue(data: Buffer, at: number, column: FitsColumn, value: unknown): void {
  switch (column.format) {
    case 'A': {
      const text = String(value ?? '');
      data.write(text.slice(0, column.width ?? 1).padEnd(column.width ?? 1), at, 'ascii');
      return;
    }
    case 'L': data.writeUInt8(value === true ? 0x54 : 0x46, at); return;
    case 'B': data.writeUInt8(Number(value), at); return;
    case 'I': data.writeInt16BE(Number(value), at); return;
    case 'J': data.writeInt32BE(Number(value), at); return;
    case 'K': data.writeBigInt64BE(BigInt(Math.round(Number(value))), at); return;
    case 'E': data.writeFloatBE(Number(value), at); return;
    case 'D': data.writeDoubleBE(Number(value), at); return;
  }
}

/** Decodes a BINTABLE data section using its header. */
export function decodeTable(header: FitsHeader, bytes: Uint8Array, context: { file: string; offset: number }): FitsTable {
  const count = Number(header.get('TFIELDS') ?? 0);
  const rowBytes = Number(header.get('NAXIS1'));
  const rows = Number(header.get('NAXIS2'));
  const columns: FitsColumn[] = [];
  const starts: number[] = [];
  let start = 0;
  for (let i = 1; i <= count; i++) {
    const form = String(header.get(`TFORM${i}`) ?? '').trim();
    const match = /^(\d*)([A-Z])/.exec(form);
    const repeat = match?.[1] === '' || match?.[1] === undefined ? 1 : Number(match[1]);
    const format = match?.[2] as ColumnFormat | undefined;
    if (format === undefined || !(columnFormats as readonly string[]).includes(format) || (format !== 'A' && repeat !== 1)) {
      throw new FitsError(
        `FITS file '${context.file}': table column ${i} has TFORM${i} = '${form}', which this reader does not support (supported: J, K, E, D, A, I, L, B with repeat 1; rA for strings)`,
        { file: context.file, offset: context.offset, keyword: `TFORM${i}` },
      );
    }
    const name = String(header.get(`TTYPE${i}`) ?? `col${i}`);
    const unit = header.get(`TUNIT${i}`);
    const column: FitsColumn = { name, format };
    if (format === 'A') column.width = repeat;
    if (typeof unit === 'string') column.unit = unit;
    columns.push(column);
    starts.push(start);
    start += format === 'A' ? repeat : byteSize[format];
  }
  if (start > rowBytes) {
    throw new FitsError(`FITS file '${context.file}': table columns need ${start} bytes per row but NAXIS1 = ${rowBytes}`, {
      file: context.file,
      offset: context.offset,
      keyword: 'NAXIS1',
    });
  }
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const data: Record<string, ColumnValues> = {};
  columns.forEach((column, c) => {
    const zero = Number(header.get(`TZERO${c + 1}`) ?? 0);
    const scale = Number(header.get(`TSCAL${c + 1}`) ?? 1);
    const values: (number | string | boolean)[] = [];
    for (let row = 0; row < rows; row++) values.push(readValue(view, row * rowBytes + starts[c]!, column, zero, scale));
    data[column.name] = values as ColumnValues;
  });
  return { columns, rows, data };
}

function readValue(view: Buffer, at: number, column: FitsColumn, zero: number, scale: number): number | string | boolean {
  switch (column.format) {
    case 'A': return view.toString('latin1', at, at + (column.width ?? 1)).replace(/\0.*$/s, '').trimEnd();
    case 'L': return view.readUInt8(at) === 0x54;
    case 'B': return zero + scale * view.readUInt8(at);
    case 'I': return zero + scale * view.readInt16BE(at);
    case 'J': return zero + scale * view.readInt32BE(at);
    case 'K': return zero + scale * Number(view.readBigInt64BE(at));
    case 'E': return zero + scale * view.readFloatBE(at);
    case 'D': return zero + scale * view.readDoubleBE(at);
  }
}
