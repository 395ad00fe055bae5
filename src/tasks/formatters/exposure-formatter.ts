import { decodeFits, encodeFits, FitsHeader, type FitsHdu, type FitsValue } from '../../fits/index.js';
import { tanWcsFromFitsCards, tanWcsToFitsCards } from '../../geom/index.js';
import { TaskInputError } from '../task-errors.js';
import { maskPlanes, type Exposure } from '../science/exposure.js';

const reservedKeywords = new Set([
  'SIMPLE', 'XTENSION', 'BITPIX', 'NAXIS', 'NAXIS1', 'NAXIS2', 'EXTEND', 'PCOUNT', 'GCOUNT', 'BZERO', 'BSCALE', 'BLANK',
  'EXTNAME', 'EXTTYPE', 'INHERIT', 'CTYPE1', 'CTYPE2', 'CUNIT1', 'CUNIT2', 'RADESYS', 'CRVAL1', 'CRVAL2', 'CRPIX1', 'CRPIX2',
  'CD1_1', 'CD1_2', 'CD2_1', 'CD2_2', 'CDELT1', 'CDELT2', 'PC1_1', 'PC1_2', 'PC2_1', 'PC2_2', 'LTV1', 'LTV2', 'MAGZERO', 'PSFFWHM',
]);

function wcsCards(exposure: Exposure): Record<string, FitsValue> {
  const cards: Record<string, FitsValue> = exposure.wcs === null ? {} : { ...tanWcsToFitsCards(exposure.wcs) };
  // IRAF/reference convention: physical (parent) pixel = image pixel − LTV.
  cards['LTV1'] = -exposure.xy0.x;
  cards['LTV2'] = -exposure.xy0.y;
  return cards;
}

function primaryHeader(exposure: Exposure): FitsHeader {
  const header = new FitsHeader();
  header.set('EXTNAME', 'IMAGE', 'science image plane');
  for (const [key, value] of Object.entries(wcsCards(exposure))) header.set(key, value);
  if (exposure.zeroPoint !== null) header.set('MAGZERO', exposure.zeroPoint, 'mag of a source of 1 image unit (total flux)');
  if (exposure.psfFwhmPx !== null) header.set('PSFFWHM', exposure.psfFwhmPx, 'PSF FWHM, pixels');
  for (const [key, value] of Object.entries(exposure.metadata)) {
    if (reservedKeywords.has(key.toUpperCase())) continue;
    if (typeof value === 'number' && !Number.isFinite(value)) continue;
    header.set(key, value);
  }
  return header;
}

/**
 * Encodes an exposure as standard FITS: the primary HDU holds the float32 image (EXTNAME IMAGE)
 * with WCS, LTV1/LTV2, MAGZERO, PSFFWHM and the metadata cards; IMAGE extensions MASK (int32,
 * with MP_<plane> bit cards) and VARIANCE (float32) follow, each with the WCS too.
 */
export function encodeExposure(exposure: Exposure): Buffer {
  const size = { width: exposure.width, height: exposure.height };
  const wcs = wcsCards(exposure);
  const maskHeader: Record<string, FitsValue> = { ...wcs };
  for (const [plane, bit] of Object.entries(maskPlanes)) maskHeader[`MP_${plane}`] = bit;
  return encodeFits([
    { kind: 'image', header: primaryHeader(exposure), image: { ...size, data: exposure.image, bitpix: -32 } },
    { kind: 'image', extname: 'MASK', header: maskHeader, image: { ...size, data: exposure.mask, bitpix: 32 } },
    { kind: 'image', extname: 'VARIANCE', header: wcs, image: { ...size, data: exposure.variance, bitpix: -32 } },
  ]);
}

function findPlane(hdus: FitsHdu[], name: string): FitsHdu | undefined {
  return hdus.find((h) => h.image !== undefined && String(h.header.get('EXTNAME') ?? '').trim().toUpperCase() === name);
}

/**
 * Decodes an exposure written by {@link encodeExposure}, a reference-style file (empty primary,
 * IMAGE/MASK/VARIANCE extensions) or a raw file (one image HDU; mask and variance start at zero).
 */
export function decodeExposure(bytes: Uint8Array, file = '<buffer>'): Exposure {
  const hdus = decodeFits(bytes, file);
  const imageHdu = findPlane(hdus, 'IMAGE') ?? hdus.find((h) => h.image !== undefined);
  if (imageHdu?.image === undefined) {
    throw new TaskInputError(`'${file}' holds no image HDU, so it cannot be read as an Exposure`, {
      key: file,
      hint: 'give an image FITS file (raw, calexp, warp or coadd)',
    });
  }
  const { width, height } = imageHdu.image;
  const count = width * height;
  const cards = { ...hdus[0]!.header.toRecord(), ...imageHdu.header.toRecord() };
  const maskHdu = findPlane(hdus, 'MASK');
  const varianceHdu = findPlane(hdus, 'VARIANCE');
  for (const [name, hdu] of [['MASK', maskHdu], ['VARIANCE', varianceHdu]] as const) {
    if (hdu !== undefined && hdu.image!.width * hdu.image!.height !== count) {
      throw new TaskInputError(`'${file}': the ${name} plane is ${hdu.image!.width} x ${hdu.image!.height}, the image ${width} x ${height}`, { key: name });
    }
  }
  const metadata: Record<string, FitsValue> = {};
  for (const [key, value] of Object.entries(cards)) if (!reservedKeywords.has(key)) metadata[key] = value;
  const number = (key: string) => (typeof cards[key] === 'number' ? (cards[key] as number) : null);
  return {
    width,
    height,
    image: Float32Array.from(imageHdu.image.data),
    mask: maskHdu === undefined ? new Int32Array(count) : Int32Array.from(maskHdu.image!.data),
    variance: varianceHdu === undefined ? new Float32Array(count) : Float32Array.from(varianceHdu.image!.data),
    wcs: 'CRVAL1' in cards ? tanWcsFromFitsCards(cards) : null,
    xy0: { x: -(number('LTV1') ?? 0) || 0, y: -(number('LTV2') ?? 0) || 0 },
    zeroPoint: number('MAGZERO'),
    psfFwhmPx: number('PSFFWHM'),
    metadata,
  };
}
