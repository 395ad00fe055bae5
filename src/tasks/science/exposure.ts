import type { FitsValue } from '../../fits/index.js';
import type { TanWcs } from '../../geom/index.js';

/** Mask planes and their bit numbers (as in the reference's default mask dictionary). */
export const maskPlanes = { BAD: 0, SAT: 1, INTRP: 2, CR: 3, EDGE: 4, DETECTED: 5, DETECTED_NEGATIVE: 6, SUSPECT: 7, NO_DATA: 8 } as const;
export type MaskPlane = keyof typeof maskPlanes;

/** The bit value of a mask plane. */
export function maskBit(plane: MaskPlane): number {
  return 1 << maskPlanes[plane];
}

/**
 * An image with mask and variance planes, a WCS and calibration metadata: the in-memory form of
 * the `Exposure`/`ExposureF` storage classes. Pixels are row-major, x fastest; pixel (0, 0) is
 * tract pixel `xy0` for patch images (warps, coadds), (0, 0) otherwise.
 */
export interface Exposure {
  width: number;
  height: number;
  image: Float32Array;
  mask: Int32Array;
  variance: Float32Array;
  /** WCS of this image's own pixel grid (0-based pixels), or null. */
  wcs: TanWcs | null;
  /** Parent-grid origin of pixel (0, 0) (written as LTV1/LTV2 = −xy0). */
  xy0: { x: number; y: number };
  /** Magnitude of a source of 1 image unit of total flux (MAGZERO), when calibrated. */
  zeroPoint: number | null;
  /** PSF full width at half maximum in pixels (PSFFWHM), when measured. */
  psfFwhmPx: number | null;
  /** Other header cards (FILTER, EXPTIME, provenance...), copied through. */
  metadata: Record<string, FitsValue>;
}

/** Options of {@link createExposure}. */
export interface CreateExposureOptions {
  width: number;
  height: number;
  image?: Float32Array;
  wcs?: TanWcs | null;
  xy0?: { x: number; y: number };
  metadata?: Record<string, FitsValue>;
}

/** A new exposure (zero image, mask and variance unless given). */
export function createExposure(options: CreateExposureOptions): Exposure {
  const count = options.width * options.height;
  return {
    width: options.width,
    height: options.height,
    image: options.image ?? new Float32Array(count),
    mask: new Int32Array(count),
    variance: new Float32Array(count),
    wcs: options.wcs ?? null,
    xy0: options.xy0 ?? { x: 0, y: 0 },
    zeroPoint: null,
    psfFwhmPx: null,
    metadata: { ...(options.metadata ?? {}) },
  };
}

/** A deep copy of an exposure. */
export function cloneExposure(exposure: Exposure): Exposure {
  return {
    ...exposure,
    image: exposure.image.slice(),
    mask: exposure.mask.slice(),
    variance: exposure.variance.slice(),
    wcs: exposure.wcs === null ? null : structuredClone(exposure.wcs),
    xy0: { ...exposure.xy0 },
    metadata: { ...exposure.metadata },
  };
}

/** True for objects shaped like an {@link Exposure}. */
export function isExposure(value: unknown): value is Exposure {
  const v = value as Partial<Exposure> | null;
  return typeof v === 'object' && v !== null && v.image instanceof Float32Array && v.mask instanceof Int32Array && typeof v.width === 'number';
}
