import { maskBit, type Exposure } from './exposure.js';

/** Second moments (pixels²) and centroid from adaptive Gaussian-weighted moments. */
export interface Moments {
  x: number;
  y: number;
  xx: number;
  yy: number;
  xy: number;
  /** False when the iteration failed (the start position and a round guess are returned). */
  ok: boolean;
}

const unusable = maskBit('NO_DATA') | maskBit('BAD');

function usable(exposure: Exposure, k: number): boolean {
  return (exposure.mask[k]! & unusable) === 0 && Number.isFinite(exposure.image[k]!);
}

/**
 * Adaptive moments (the weight's covariance converges to the object's for a Gaussian, as in
 * HSM): iterates the Gaussian-weighted centroid and second moments from a round guess.
 */
export function measureAdaptiveMoments(exposure: Exposure, start: { x: number; y: number }, sigmaGuess: number): Moments {
  let cx = start.x;
  let cy = start.y;
  let wxx = sigmaGuess * sigmaGuess;
  let wyy = wxx;
  let wxy = 0;
  const fail: Moments = { x: start.x, y: start.y, xx: wxx, yy: wyy, xy: 0, ok: false };
  for (let iter = 0; iter < 30; iter++) {
    const det = wxx * wyy - wxy * wxy;
    if (!(det > 0)) return fail;
    const ixx = wyy / det;
    const iyy = wxx / det;
    const ixy = -wxy / det;
    const radius = Math.min(30, Math.ceil(4 * Math.sqrt(Math.max(wxx, wyy))));
    let s0 = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (let y = Math.max(0, Math.floor(cy - radius)); y <= Math.min(exposure.height - 1, Math.ceil(cy + radius)); y++) {
      for (let x = Math.max(0, Math.floor(cx - radius)); x <= Math.min(exposure.width - 1, Math.ceil(cx + radius)); x++) {
        const k = y * exposure.width + x;
        if (!usable(exposure, k)) continue;
        const dx = x - cx;
        const dy = y - cy;
        const w = Math.exp(-0.5 * (ixx * dx * dx + iyy * dy * dy + 2 * ixy * dx * dy)) * exposure.image[k]!;
        s0 += w; sx += w * dx; sy += w * dy; sxx += w * dx * dx; syy += w * dy * dy; sxy += w * dx * dy;
      }
    }
    if (!(s0 > 0)) return fail;
    const mx = sx / s0;
    const my = sy / s0;
    const mxx = sxx / s0 - mx * mx;
    const myy = syy / s0 - my * my;
    const mxy = sxy / s0 - mx * my;
    if (!(mxx > 0 && myy > 0 && mxx * myy > mxy * mxy)) return fail;
    cx += mx;
    cy += my;
    if (Math.hypot(cx - start.x, cy - start.y) > 3 * sigmaGuess + 3) return fail;
    const nxx = 2 * mxx, nyy = 2 * myy, nxy = 2 * mxy;
    const change = Math.abs(nxx - wxx) + Math.abs(nyy - wyy) + Math.abs(nxy - wxy);
    wxx = nxx; wyy = nyy; wxy = nxy;
    if (change < 1e-4 * (wxx + wyy) && Math.hypot(mx, my) < 1e-4) break;
  }
  if (wxx > 400 || wyy > 400) return fail;
  return { x: cx, y: cy, xx: wxx, yy: wyy, xy: wxy, ok: true };
}

/** A flux and its 1-sigma error. */
export interface FluxMeasurement {
  flux: number;
  fluxErr: number;
}

/** PSF flux with a circular Gaussian PSF of `psfSigmaPx` centred at (x, y): Σ P·I / Σ P² (unit-sum P). */
export function measurePsfFlux(exposure: Exposure, at: { x: number; y: number }, psfSigmaPx: number): FluxMeasurement {
  const radius = Math.ceil(4 * psfSigmaPx);
  const norm = 1 / (2 * Math.PI * psfSigmaPx * psfSigmaPx);
  let spi = 0, spp = 0, sppv = 0;
  for (let y = Math.max(0, Math.floor(at.y - radius)); y <= Math.min(exposure.height - 1, Math.ceil(at.y + radius)); y++) {
    for (let x = Math.max(0, Math.floor(at.x - radius)); x <= Math.min(exposure.width - 1, Math.ceil(at.x + radius)); x++) {
      const k = y * exposure.width + x;
      if (!usable(exposure, k)) continue;
      const p = norm * Math.exp(-0.5 * ((x - at.x) ** 2 + (y - at.y) ** 2) / (psfSigmaPx * psfSigmaPx));
      spi += p * exposure.image[k]!;
      spp += p * p;
      sppv += p * p * Math.max(0, exposure.variance[k]!);
    }
  }
  if (spp === 0) return { flux: Number.NaN, fluxErr: Number.NaN };
  return { flux: spi / spp, fluxErr: Math.sqrt(sppv) / spp };
}

/** Sum of pixels whose centres lie within `radius` of (x, y), and its error from the variance plane. */
export function measureApertureFlux(exposure: Exposure, at: { x: number; y: number }, radius: number): FluxMeasurement {
  let sum = 0, variance = 0;
  for (let y = Math.max(0, Math.ceil(at.y - radius)); y <= Math.min(exposure.height - 1, Math.floor(at.y + radius)); y++) {
    for (let x = Math.max(0, Math.ceil(at.x - radius)); x <= Math.min(exposure.width - 1, Math.floor(at.x + radius)); x++) {
      if ((x - at.x) ** 2 + (y - at.y) ** 2 > radius * radius) continue;
      const k = y * exposure.width + x;
      if (!usable(exposure, k)) continue;
      sum += exposure.image[k]!;
      variance += Math.max(0, exposure.variance[k]!);
    }
  }
  return { flux: sum, fluxErr: Math.sqrt(variance) };
}

/** Magnitude of a flux for a zero point (NaN for non-positive flux) and its error. */
export function fluxToMag(flux: FluxMeasurement, zeroPoint: number): { mag: number; magErr: number } {
  if (!(flux.flux > 0)) return { mag: Number.NaN, magErr: Number.NaN };
  return { mag: zeroPoint - 2.5 * Math.log10(flux.flux), magErr: (2.5 / Math.LN10) * (flux.fluxErr / flux.flux) };
}

/** True when any pixel within `radius` of (x, y) has one of the mask bits. */
export function hasMaskNear(exposure: Exposure, at: { x: number; y: number }, radius: number, bits: number): boolean {
  for (let y = Math.max(0, Math.round(at.y - radius)); y <= Math.min(exposure.height - 1, Math.round(at.y + radius)); y++) {
    for (let x = Math.max(0, Math.round(at.x - radius)); x <= Math.min(exposure.width - 1, Math.round(at.x + radius)); x++) {
      if ((exposure.mask[y * exposure.width + x]! & bits) !== 0) return true;
    }
  }
  return false;
}
