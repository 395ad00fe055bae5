import { open, readFile } from 'node:fs/promises';
import { decodeTable, type FitsTable } from './bintable.js';
import { FitsError } from './fits-error.js';
import type { FitsHeader } from './fits-header.js';
import { decodePixels, isBitpix, type FitsImage } from './image-data.js';
import { blockSize, parseHeader } from './parse-header.js';

/** Kinds of header-data units. */
export const hduKinds = ['primary', 'image', 'bintable', 'other'] as const;
export type HduKind = (typeof hduKinds)[number];

/** One header-data unit. `image` is set for primary/IMAGE HDUs with data, `table` for BINTABLE. */
export interface FitsHdu {
  kind: HduKind;
  header: FitsHeader;
  image?: FitsImage;
  table?: FitsTable;
}

/** Reads and decodes every HDU of a FITS file. */
export async function readFits(path: string): Promise<FitsHdu[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new FitsError(`cannot read FITS file '${path}': ${(error as Error).message}`, { file: path, cause: error });
  }
  return decodeFits(bytes, path);
}

/** Decodes every HDU of FITS bytes; `file` names the source in error messages. */
export function decodeFits(bytes: Uint8Array, file = '<buffer>'): FitsHdu[] {
  const hdus: FitsHdu[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    // Trailing bytes shorter than a block after the last HDU are ignored, as astropy does.
    if (hdus.length > 0 && bytes.length - offset < blockSize) break;
    checkStart(bytes.subarray(offset, offset + 10), file, offset, hdus.length === 0);
    const parsed = parseHeader(bytes, offset, { file });
    if (parsed === undefined) throw noEnd(file, offset);
    const { header, dataOffset } = parsed;
    const size = dataSize(header, file, offset);
    const end = dataOffset + size;
    if (end > bytes.length) {
      throw new FitsError(
        `FITS file '${file}' is truncated: HDU ${hdus.length} at byte ${offset} needs ${size} bytes of data from byte ${dataOffset}, but the file ends at byte ${bytes.length}`,
        { file, offset: dataOffset, hint: 're-copy or regenerate the file; it was cut short' },
      );
    }
    hdus.push(decodeHdu(header, bytes.subarray(dataOffset, end), { file, offset: dataOffset, primary: hdus.length === 0 }));
    offset = dataOffset + Math.ceil(size / blockSize) * blockSize;
  }
  if (hdus.length === 0) throw new FitsError(`FITS file '${file}' is empty`, { file, offset: 0 });
  return hdus;
}

/**
 * Reads only the primary header: 2880-byte blocks are read through a file handle until the END
 * card, so large images are not loaded.
 */
export async function readFitsHeader(path: string): Promise<FitsHeader> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new FitsError(`cannot read FITS file '${path}': ${(error as Error).message}`, { file: path, cause: error });
  }
  try {
    let bytes = Buffer.alloc(0);
    for (let block = 0; ; block++) {
      const chunk = Buffer.alloc(blockSize);
      const { bytesRead } = await handle.read(chunk, 0, blockSize, block * blockSize);
      if (bytesRead < blockSize) {
        if (bytesRead === 0 && block === 0) throw new FitsError(`FITS file '${path}' is empty`, { file: path, offset: 0 });
        throw noEnd(path, 0, bytesRead === 0 ? block * blockSize : block * blockSize + bytesRead);
      }
      if (block === 0) checkStart(chunk, path, 0, true);
      bytes = Buffer.concat([bytes, chunk]);
      const parsed = parseHeader(bytes, 0, { file: path });
      if (parsed !== undefined) return parsed.header;
    }
  } finally {
    await handle.close();
  }
}

function checkStart(head: Uint8Array, file: string, offset: number, primary: boolean): void {
  const text = Buffer.from(head).toString('latin1');
  const expected = primary ? 'SIMPLE  = ' : 'XTENSION= ';
  if (!text.startsWith(expected)) {
    throw new FitsError(
      `'${file}' is not a valid FITS file: the header at byte ${offset} starts with '${text.replace(/[^\x20-\x7e]/g, '?')}', expected '${expected.trim()}'`,
      { file, offset, keyword: expected.slice(0, 8).trim() },
    );
  }
}

function noEnd(file: string, offset: number, size?: number): FitsError {
  return new FitsError(
    `FITS file '${file}' has no END card in the header starting at byte ${offset}${size === undefined ? '' : ` (file size ${size} bytes)`}: the file is truncated or not FITS`,
    { file, offset, keyword: 'END' },
  );
}

function integerKey(header: FitsHeader, keyword: string, context: { file: string; offset: number }, fallback?: number): number {
  const value = header.get(keyword) ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    if (keyword === 'BITPIX' && typeof value === 'number' && Number.isInteger(value)) return value;
    throw new FitsError(
      `FITS file '${context.file}': header at byte ${context.offset} has ${keyword} = ${value === undefined ? 'missing' : `'${String(value)}'`}, expected a non-negative integer`,
      { file: context.file, offset: context.offset, keyword },
    );
  }
  return value;
}

function dataSize(header: FitsHeader, file: string, offset: number): number {
  const context = { file, offset };
  const bitpix = integerKey(header, 'BITPIX', context);
  if (!isBitpix(bitpix)) {
    throw new FitsError(`FITS file '${file}': BITPIX = ${bitpix} is not one of 8, 16, 32, -32, -64`, {
      file,
      offset,
      keyword: 'BITPIX',
    });
  }
  const naxis = integerKey(header, 'NAXIS', context);
  if (naxis === 0) return 0;
  let count = 1;
  for (let i = 1; i <= naxis; i++) count *= integerKey(header, `NAXIS${i}`, context);
  const pcount = integerKey(header, 'PCOUNT', context, 0);
  const gcount = integerKey(header, 'GCOUNT', context, 1);
  return (Math.abs(bitpix) / 8) * gcount * (pcount + count);
}

function decodeHdu(header: FitsHeader, data: Uint8Array, context: { file: string; offset: number; primary: boolean }): FitsHdu {
  const xtension = context.primary ? undefined : String(header.get('XTENSION') ?? '').trim();
  if (xtension === 'BINTABLE') return { kind: 'bintable', header, table: decodeTable(header, data, context) };
  const kind: HduKind = context.primary ? 'primary' : xtension === 'IMAGE' ? 'image' : 'other';
  const naxis = Number(header.get('NAXIS'));
  if (kind === 'other' || naxis === 0) return { kind, header };
  const bitpix = Number(header.get('BITPIX'));
  if (!isBitpix(bitpix)) return { kind, header };
  const axes: number[] = [];
  for (let i = 1; i <= naxis; i++) axes.push(Number(header.get(`NAXIS${i}`)));
  const count = axes.reduce((a, b) => a * b, 1);
  const blank = header.get('BLANK');
  const pixels = decodePixels(data, count, bitpix, {
    bzero: Number(header.get('BZERO') ?? 0),
    bscale: Number(header.get('BSCALE') ?? 1),
    blank: typeof blank === 'number' ? blank : undefined,
  });
  return { kind, header, image: { axes, width: axes[0] ?? 0, height: axes[1] ?? 1, bitpix, data: pixels } };
}
