import { maskBit, type Exposure } from './exposure.js';
import { clippedStats } from './stats.js';

/** A smooth background model: mesh medians and the full-resolution interpolated image. */
export interface BackgroundModel {
  width: number;
  height: number;
  /** Mesh cell size in pixels. */
  binSize: number;
  /** The model at every pixel (image units). */
  image: Float32Array;
}

/** True for objects shaped like a {@link BackgroundModel}. */
export function isBackgroundModel(value: unknown): value is BackgroundModel {
  const v = value as Partial<BackgroundModel> | null;
  return typeof v === 'object' && v !== null && v.image instanceof Float32Array && typeof v.binSize === 'number';
}

/**
 * Estimates the background: sigma-clipped median in meshes of `binSize` pixels (ignoring masked
 * and detected pixels), empty meshes filled from their neighbours, bilinear interpolation between
 * mesh centres.
 */
export function estimateBackground(exposure: Exposure, binSize: number): BackgroundModel {
  const { width, height } = exposure;
  const nx = Math.max(1, Math.round(width / binSize));
  const ny = Math.max(1, Math.round(height / binSize));
  const cellW = width / nx;
  const cellH = height / ny;
  const skip = maskBit('BAD') | maskBit('SAT') | maskBit('NO_DATA') | maskBit('DETECTED');
  const mesh = new Float64Array(nx * ny).fill(Number.NaN);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const values: number[] = [];
      for (let y = Math.floor(j * cellH); y < Math.floor((j + 1) * cellH); y++) {
        for (let x = Math.floor(i * cellW); x < Math.floor((i + 1) * cellW); x++) {
          const k = y * width + x;
          if ((exposure.mask[k]! & skip) === 0 && Number.isFinite(exposure.image[k]!)) values.push(exposure.image[k]!);
        }
      }
      if (values.length >= 10) mesh[j * nx + i] = clippedStats(values).median;
    }
  }
  fillEmptyMeshes(mesh, nx, ny);
  const image = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const fy = Math.min(ny - 1, Math.max(0, (y + 0.5) / cellH - 0.5));
    const j0 = Math.min(ny - 2, Math.floor(fy));
    for (let x = 0; x < width; x++) {
      const fx = Math.min(nx - 1, Math.max(0, (x + 0.5) / cellW - 0.5));
      const i0 = Math.min(nx - 2, Math.floor(fx));
      image[y * width + x] = interpolate(mesh, nx, ny, { i0: Math.max(0, i0), j0: Math.max(0, j0), fx, fy });
    }
  }
  return { width, height, binSize, image };
}

function interpolate(mesh: Float64Array, nx: number, ny: number, at: { i0: number; j0: number; fx: number; fy: number }): number {
  const { i0, j0 } = at;
  const i1 = Math.min(nx - 1, i0 + 1);
  const j1 = Math.min(ny - 1, j0 + 1);
  const tx = nx === 1 ? 0 : at.fx - i0;
  const ty = ny === 1 ? 0 : at.fy - j0;
  const v = (i: number, j: number) => mesh[j * nx + i]!;
  return (1 - tx) * (1 - ty) * v(i0, j0) + tx * (1 - ty) * v(i1, j0) + (1 - tx) * ty * v(i0, j1) + tx * ty * v(i1, j1);
}

function fillEmptyMeshes(mesh: Float64Array, nx: number, ny: number): void {
  const known = Array.from(mesh).filter(Number.isFinite);
  const fallback = known.length === 0 ? 0 : known.reduce((a, b) => a + b, 0) / known.length;
  for (let k = 0; k < mesh.length; k++) {
    if (Number.isFinite(mesh[k]!)) continue;
    const i = k % nx;
    const j = Math.floor(k / nx);
    const near: number[] = [];
    for (const [di, dj] of [[-1, 0], [1, 0], [0, -1], [0, 1]] as const) {
      const v = mesh[(j + dj) * nx + (i + di)];
      if (i + di >= 0 && i + di < nx && j + dj >= 0 && j + dj < ny && v !== undefined && Number.isFinite(v)) near.push(v);
    }
    mesh[k] = near.length === 0 ? fallback : near.reduce((a, b) => a + b, 0) / near.length;
  }
}

/** Subtracts a background model from an exposure's image in place. */
export function subtractBackground(exposure: Exposure, background: BackgroundModel): void {
  for (let k = 0; k < exposure.image.length; k++) exposure.image[k]! -= background.image[k]!;
}
