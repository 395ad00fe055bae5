import { maskBit, type Exposure } from './exposure.js';

/** One detected footprint and its highest peak (image pixel coordinates). */
export interface Detection {
  id: number;
  /** Peak pixel. */
  x: number;
  y: number;
  /** Peak value of the PSF-smoothed image. */
  peakValue: number;
  /** Peak signal-to-noise of the smoothed image. */
  significance: number;
  /** Pixels in the footprint. */
  npix: number;
  /** Local maxima above threshold in the footprint. */
  npeaks: number;
}

/** Options of {@link detectSources}. */
export interface DetectionOptions {
  /** Threshold in units of the smoothed image's noise (default 5). */
  thresholdSigma?: number;
  /** Gaussian smoothing kernel sigma, pixels (the PSF's). */
  psfSigmaPx: number;
  /** Smallest footprint kept, pixels (default 3). */
  minPixels?: number;
}

function gaussianKernel(sigma: number): Float64Array {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += kernel[i + radius] = Math.exp((-0.5 * i * i) / (sigma * sigma));
  return kernel.map((v) => v / sum);
}

/** Separable convolution; invalid pixels (NaN or `skip`) count as zero. */
function convolve(data: ArrayLike<number>, width: number, height: number, kernel: Float64Array, valid: Uint8Array): Float64Array {
  const r = (kernel.length - 1) / 2;
  const tmp = new Float64Array(width * height);
  const out = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let i = -r; i <= r; i++) {
        const xx = x + i;
        if (xx >= 0 && xx < width && valid[y * width + xx] === 1) s += kernel[i + r]! * data[y * width + xx]!;
      }
      tmp[y * width + x] = s;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let i = -r; i <= r; i++) {
        const yy = y + i;
        if (yy >= 0 && yy < height) s += kernel[i + r]! * tmp[yy * width + x]!;
      }
      out[y * width + x] = s;
    }
  }
  return out;
}

/**
 * Detects sources: smooths the (background-subtracted) image with a Gaussian PSF, thresholds its
 * signal-to-noise (noise from the variance plane smoothed with the squared kernel), groups pixels
 * above threshold into 8-connected footprints, and sets the DETECTED mask bit on them.
 */
export function detectSources(exposure: Exposure, options: DetectionOptions): Detection[] {
  const { width, height } = exposure;
  const threshold = options.thresholdSigma ?? 5;
  const minPixels = options.minPixels ?? 3;
  const skip = maskBit('NO_DATA') | maskBit('BAD');
  const valid = new Uint8Array(width * height);
  for (let k = 0; k < valid.length; k++) valid[k] = (exposure.mask[k]! & skip) === 0 && Number.isFinite(exposure.image[k]!) && Number.isFinite(exposure.variance[k]!) ? 1 : 0;
  const kernel = gaussianKernel(options.psfSigmaPx);
  const smoothed = convolve(exposure.image, width, height, kernel, valid);
  const noiseVar = convolve(exposure.variance, width, height, kernel.map((v) => v * v), valid);
  const snr = new Float64Array(width * height);
  for (let k = 0; k < snr.length; k++) snr[k] = valid[k] === 1 && noiseVar[k]! > 0 ? smoothed[k]! / Math.sqrt(noiseVar[k]!) : 0;
  const label = new Int32Array(width * height);
  const detections: Detection[] = [];
  const detected = maskBit('DETECTED');
  let next = 0;
  for (let start = 0; start < snr.length; start++) {
    if (label[start] !== 0 || snr[start]! < threshold) continue;
    next++;
    const pixels = [start];
    label[start] = next;
    for (let p = 0; p < pixels.length; p++) {
      const k = pixels[p]!;
      const x = k % width;
      const y = (k - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
          const n = yy * width + xx;
          if (label[n] === 0 && snr[n]! >= threshold) {
            label[n] = next;
            pixels.push(n);
          }
        }
      }
    }
    if (pixels.length < minPixels) continue;
    let best = pixels[0]!;
    let npeaks = 0;
    for (const k of pixels) {
      if (smoothed[k]! > smoothed[best]!) best = k;
      if (isLocalMaximum(smoothed, width, height, k)) npeaks++;
      exposure.mask[k]! |= detected;
    }
    const bx = best % width;
    detections.push({
      id: detections.length + 1, x: bx, y: (best - bx) / width, peakValue: smoothed[best]!, significance: snr[best]!, npix: pixels.length, npeaks: Math.max(1, npeaks),
    });
  }
  return detections;
}

function isLocalMaximum(values: Float64Array, width: number, height: number, k: number): boolean {
  const x = k % width;
  const y = (k - x) / width;
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      if ((dx === 0 && dy === 0) || x + dx < 0 || y + dy < 0 || x + dx >= width || y + dy >= height) continue;
      if (values[(y + dy) * width + x + dx]! > values[k]!) return false;
    }
  }
  return true;
}
