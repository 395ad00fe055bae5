import { decodeFits, encodeFits, type FitsValue } from '../../fits/index.js';
import { TaskInputError } from '../task-errors.js';
import type { Catalog } from '../science/catalog.js';
import type { BackgroundModel } from '../science/background.js';

const tableStructural = /^(XTENSION|BITPIX|NAXIS\d*|PCOUNT|GCOUNT|TFIELDS|T(TYPE|FORM|UNIT|ZERO|SCAL)\d+|EXTNAME)$/;

/** Encodes a catalog as a FITS binary table (EXTNAME CATALOG) behind an empty primary HDU; metadata become header cards. */
export function encodeCatalog(catalog: Catalog): Buffer {
  const header: Record<string, FitsValue> = {};
  for (const [key, value] of Object.entries(catalog.metadata)) {
    if (typeof value === 'number' && !Number.isFinite(value)) continue;
    header[key] = value;
  }
  return encodeFits([{ kind: 'bintable', extname: 'CATALOG', header, table: { columns: catalog.columns, data: catalog.data } }]);
}

/** Decodes the first binary table of a FITS file as a catalog. */
export function decodeCatalog(bytes: Uint8Array, file = '<buffer>'): Catalog {
  const hdu = decodeFits(bytes, file).find((h) => h.table !== undefined);
  if (hdu?.table === undefined) {
    throw new TaskInputError(`'${file}' holds no binary table, so it cannot be read as a catalog`, { key: file });
  }
  const metadata: Record<string, FitsValue> = {};
  for (const [key, value] of Object.entries(hdu.header.toRecord())) if (!tableStructural.test(key)) metadata[key] = value;
  return { columns: hdu.table.columns, data: hdu.table.data, metadata };
}

/** Encodes a background model as a float32 FITS image with its mesh size (BGMESH). */
export function encodeBackground(background: BackgroundModel): Buffer {
  return encodeFits([{
    kind: 'image',
    header: { EXTNAME: 'BACKGROUND', BGMESH: background.binSize },
    image: { width: background.width, height: background.height, data: background.image, bitpix: -32 },
  }]);
}

/** Decodes a background model written by {@link encodeBackground}. */
export function decodeBackground(bytes: Uint8Array, file = '<buffer>'): BackgroundModel {
  const hdu = decodeFits(bytes, file).find((h) => h.image !== undefined);
  if (hdu?.image === undefined) throw new TaskInputError(`'${file}' holds no image, so it cannot be read as a Background`, { key: file });
  const binSize = hdu.header.get('BGMESH');
  return { width: hdu.image.width, height: hdu.image.height, binSize: typeof binSize === 'number' ? binSize : 0, image: Float32Array.from(hdu.image.data) };
}
