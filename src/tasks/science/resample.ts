import { pixelToVector, skyToPixel, type TanWcs } from '../../geom/index.js';
import { createExposure, maskBit, type Exposure } from './exposure.js';

/** Options of {@link resampleExposures}. */
export interface ResampleOptions {
  /** Output grid: size, WCS of its own pixels and parent origin. */
  width: number;
  height: number;
  wcs: TanWcs;
  xy0: { x: number; y: number };
  /** Multiplies each input's image (variance by its square), e.g. to a common zero point. */
  scales?: readonly number[];
}

/**
 * Resamples exposures onto a grid with bilinear interpolation of image, variance (same kernel, as
 * the reference's warper does) and mask (OR of contributing pixels). Each output pixel takes the
 * first input that covers it; pixels covered by none get NaN and NO_DATA.
 */
export function resampleExposures(inputs: readonly Exposure[], options: ResampleOptions): Exposure {
  const out = createExposure({ width: options.width, height: options.height, wcs: options.wcs, xy0: options.xy0 });
  const noData = maskBit('NO_DATA');
  const skipBits = noData;
  for (let j = 0; j < options.height; j++) {
    for (let i = 0; i < options.width; i++) {
      const k = j * options.width + i;
      out.image[k] = Number.NaN;
      out.mask[k] = noData;
      const sky = pixelToVector(options.wcs, { x: i, y: j });
      for (let n = 0; n < inputs.length; n++) {
        const input = inputs[n]!;
        if (input.wcs === null) continue;
        let p;
        try {
          p = skyToPixel(input.wcs, sky);
        } catch {
          continue;
        }
        if (!(p.x >= 0 && p.y >= 0 && p.x <= input.width - 1 && p.y <= input.height - 1)) continue;
        const x0 = Math.min(input.width - 2, Math.floor(p.x));
        const y0 = Math.min(input.height - 2, Math.floor(p.y));
        const tx = p.x - x0;
        const ty = p.y - y0;
        let value = 0, variance = 0, mask = 0;
        let ok = true;
        for (const [dx, dy, w] of [[0, 0, (1 - tx) * (1 - ty)], [1, 0, tx * (1 - ty)], [0, 1, (1 - tx) * ty], [1, 1, tx * ty]] as const) {
          if (w === 0) continue;
          const src = (y0 + dy) * input.width + x0 + dx;
          if ((input.mask[src]! & skipBits) !== 0 || !Number.isFinite(input.image[src]!)) ok = false;
          value += w * input.image[src]!;
          variance += w * input.variance[src]!;
          mask |= input.mask[src]!;
        }
        if (!ok) continue;
        const s = options.scales?.[n] ?? 1;
        out.image[k] = value * s;
        out.variance[k] = variance * s * s;
        out.mask[k] = mask & ~maskBit('DETECTED');
        break;
      }
    }
  }
  return out;
}
