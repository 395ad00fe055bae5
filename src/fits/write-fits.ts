import { rename, writeFile } from 'node:fs/promises';
import { encodeTable, type FitsTableInput } from './bintable.js';
import { FitsError } from './fits-error.js';
import { FitsHeader, type FitsValue } from './fits-header.js';
import { formatHeader } from './format-header.js';
import { encodePixels, type Bitpix } from './image-data.js';
import { blockSize } from './parse-header.js';

/** Pixels to write: physical values, stored as `bitpix` with optional BZERO/BSCALE. */
export interface FitsImageInput {
  width: number;
  height: number;
  data: ArrayLike<number>;
  bitpix: Bitpix;
  bzero?: number;
  bscale?: number;
  /** Stored value for NaN pixels of integer images (written as BLANK when any pixel is NaN). */
  blank?: number;
}

/** An HDU to write: an image (primary or IMAGE extension, possibly without data) or a binary table. */
export type FitsHduInput =
  | { kind: 'image'; header?: FitsHeader | Record<string, FitsValue>; image?: FitsImageInput; extname?: string }
  | { kind: 'bintable'; header?: FitsHeader | Record<string, FitsValue>; table: FitsTableInput; extname?: string };

const structuralKeywords = new Set([
  'SIMPLE', 'XTENSION', 'BITPIX', 'NAXIS', 'NAXIS1', 'NAXIS2', 'EXTEND', 'PCOUNT', 'GCOUNT', 'BZERO', 'BSCALE', 'BLANK', 'END',
]);

/** Encodes HDUs as FITS bytes. A table given first gets an empty primary HDU in front of it. */
export function encodeFits(hdus: readonly FitsHduInput[]): Buffer {
  const list = hdus[0]?.kind === 'image' ? [...hdus] : [{ kind: 'image' } as FitsHduInput, ...hdus];
  const parts: Buffer[] = [];
  list.forEach((hdu, index) => {
    const { header, data } = hdu.kind === 'image' ? encodeImageHdu(hdu, index === 0, list.length > 1) : encodeTable(hdu.table, hdu.extname);
    appendUserCards(header, hdu.header);
    parts.push(formatHeader(header), pad(data));
  });
  return Buffer.concat(parts);
}

/** Writes HDUs to `path` (through a temporary file renamed into place). */
export async function writeFits(path: string, hdus: readonly FitsHduInput[]): Promise<void> {
  const bytes = encodeFits(hdus);
  const temporary = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  } catch (error) {
    throw new FitsError(`cannot write FITS file '${path}': ${(error as Error).message}`, { file: path, cause: error });
  }
}

function encodeImageHdu(hdu: Extract<FitsHduInput, { kind: 'image' }>, primary: boolean, extend: boolean) {
  const header = new FitsHeader();
  const image = hdu.image;
  if (primary) header.set('SIMPLE', true, 'conforms to FITS standard');
  else header.set('XTENSION', 'IMAGE', 'image extension');
  header.set('BITPIX', image?.bitpix ?? 8);
  header.set('NAXIS', image === undefined ? 0 : 2);
  if (image !== undefined) {
    if (image.data.length !== image.width * image.height) {
      throw new FitsError(
        `cannot write FITS image: ${image.data.length} pixels given for ${image.width} x ${image.height}`,
        { keyword: 'NAXIS' },
      );
    }
    header.set('NAXIS1', image.width).set('NAXIS2', image.height);
  }
  if (primary && extend) header.set('EXTEND', true);
  if (!primary) header.set('PCOUNT', 0).set('GCOUNT', 1);
  if (hdu.extname !== undefined) header.set('EXTNAME', hdu.extname);
  if (image === undefined) return { header, data: Buffer.alloc(0) };
  const scaling = { bzero: image.bzero ?? 0, bscale: image.bscale ?? 1, blank: image.blank };
  if (scaling.bzero !== 0) header.set('BZERO', scaling.bzero);
  if (scaling.bscale !== 1) header.set('BSCALE', scaling.bscale);
  if (image.bitpix > 0 && Array.prototype.some.call(image.data, (v: number) => Number.isNaN(v))) {
    header.set('BLANK', image.blank ?? (image.bitpix === 8 ? 0 : image.bitpix === 16 ? -32768 : -2147483648));
    scaling.blank = Number(header.get('BLANK'));
  }
  return { header, data: encodePixels(image.data, image.bitpix, scaling) };
}

function appendUserCards(header: FitsHeader, user: FitsHeader | Record<string, FitsValue> | undefined): void {
  if (user === undefined) return;
  const source = user instanceof FitsHeader ? user : FitsHeader.fromRecord(user);
  for (const card of source.cards) {
    if (structuralKeywords.has(card.keyword) || /^(NAXIS\d+|T(TYPE|FORM|UNIT)\d+|TFIELDS)$/.test(card.keyword)) continue;
    if (card.value === undefined) header.cards.push({ ...card });
    else header.set(card.keyword, card.value, card.comment);
  }
}

function pad(data: Buffer): Buffer {
  const size = Math.ceil(data.length / blockSize) * blockSize;
  return size === data.length ? data : Buffer.concat([data, Buffer.alloc(size - data.length)]);
}
