import { FitsError } from './fits-error.js';

/** Pixel types of FITS images (BITPIX). */
export const bitpixValues = [8, 16, 32, -32, -64] as const;
export type Bitpix = (typeof bitpixValues)[number];

/** A 2-D (or N-D, flattened) image: physical values after BZERO/BSCALE, row-major, x fastest. */
export interface FitsImage {
  /** NAXIS1..NAXISn. */
  axes: number[];
  /** NAXIS1 (columns). */
  width: number;
  /** NAXIS2 (rows), 1 for a 1-D array. */
  height: number;
  bitpix: Bitpix;
  /** Physical values; integer BLANK pixels become NaN. */
  data: Float32Array | Float64Array;
}

/** Scaling used to decode stored integers: physical = bzero + bscale * stored. */
export interface PixelScaling {
  bzero: number;
  bscale: number;
  blank?: number | undefined;
}

export function isBitpix(value: unknown): value is Bitpix {
  return typeof value === 'number' && (bitpixValues as readonly number[]).includes(value);
}

/** Decodes big-endian stored pixels into physical values. */
export function decodePixels(bytes: Uint8Array, count: number, bitpix: Bitpix, scaling: PixelScaling) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const wide = bitpix === 32 || bitpix === -64;
  const out = wide ? new Float64Array(count) : new Float32Array(count);
  const { bzero, bscale, blank } = scaling;
  const size = Math.abs(bitpix) / 8;
  for (let i = 0; i < count; i++) {
    const at = i * size;
    let raw: number;
    switch (bitpix) {
      case 8: raw = view.getUint8(at); break;
      case 16: raw = view.getInt16(at); break;
      case 32: raw = view.getInt32(at); break;
      case -32: raw = view.getFloat32(at); break;
      case -64: raw = view.getFloat64(at); break;
    }
    out[i] = bitpix > 0 && blank !== undefined && raw === blank ? Number.NaN : bzero + bscale * raw;
  }
  return out;
}

const integerRange: Record<8 | 16 | 32, [number, number]> = {
  8: [0, 255],
  16: [-32768, 32767],
  32: [-2147483648, 2147483647],
};

/** Encodes physical values as big-endian stored pixels; integers are rounded and clamped, NaN → blank. */
export function encodePixels(data: ArrayLike<number>, bitpix: Bitpix, scaling: PixelScaling): Buffer {
  const size = Math.abs(bitpix) / 8;
  const out = Buffer.alloc(data.length * size);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const { bzero, bscale } = scaling;
  if (bscale === 0) throw new FitsError('cannot write a FITS image with BSCALE = 0', { keyword: 'BSCALE' });
  for (let i = 0; i < data.length; i++) {
    const value = data[i]!;
    const at = i * size;
    if (bitpix < 0) {
      const stored = (value - bzero) / bscale;
      if (bitpix === -32) view.setFloat32(at, stored);
      else view.setFloat64(at, stored);
      continue;
    }
    const [lo, hi] = integerRange[bitpix as 8 | 16 | 32];
    const stored = Number.isNaN(value)
      ? (scaling.blank ?? lo)
      : Math.min(hi, Math.max(lo, Math.round((value - bzero) / bscale)));
    if (bitpix === 8) view.setUint8(at, stored);
    else if (bitpix === 16) view.setInt16(at, stored);
    else view.setInt32(at, stored);
  }
  return out;
}
