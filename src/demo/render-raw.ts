import { makeDetectorWcs, skyToPixel, type TanWcs } from '../geom/index.js';
import type { DetectorDef, Instrument } from '../instrument/index.js';
import type { DemoExposure, DemoSource } from './plan-demo.js';
import { createRandom } from './random.js';

/** Fixed instrument-signature constants of the demo camera (what ISR later has to undo). */
export const demoSignature = {
  gain: 1.0,
  readNoise: 4.0,
  biasLevel: (detector: number) => 1000 + 20 * detector,
  seeingFwhmArcsec: 0.8,
  zeroPoint30s: 27.0,
  skyPer30s: { g: 80, r: 150, i: 250, z: 350 } as Record<string, number>,
  flatIllumination: 20000,
} as const;

/** The multiplicative flat-field pattern of a detector in a band (mean near 1). */
export function flatPattern(instrument: Instrument, detector: DetectorDef, band: string): Float32Array {
  const random = createRandom(1000 + detector.id);
  const out = new Float32Array(detector.width * detector.height);
  const tilt = 0.01 * (band.charCodeAt(0) % 5);
  for (let y = 0; y < detector.height; y++) {
    for (let x = 0; x < detector.width; x++) {
      const fx = detector.focalPlaneX + x - (detector.width - 1) / 2;
      const fy = detector.focalPlaneY + y - (detector.height - 1) / 2;
      const r2 = (fx * fx + fy * fy) / (400 * 400);
      out[y * detector.width + x] = (1 - 0.08 * r2 + tilt * (x / detector.width - 0.5)) * (1 + 0.01 * random.normal());
    }
  }
  void instrument;
  return out;
}

function addSource(image: Float32Array, det: DetectorDef, wcs: TanWcs, source: DemoSource, flux: number, psfSigmaPx: number, scale: number): void {
  const { x, y } = skyToPixel(wcs, source);
  const size = source.sizeArcsec / scale;
  const major = Math.sqrt(psfSigmaPx ** 2 + size ** 2);
  const minor = Math.sqrt(psfSigmaPx ** 2 + (size * source.axisRatio) ** 2);
  const reach = Math.ceil(5 * major);
  if (x < -reach || y < -reach || x > det.width + reach || y > det.height + reach) return;
  const angle = (source.angleDeg * Math.PI) / 180;
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const norm = flux / (2 * Math.PI * major * minor);
  for (let py = Math.max(0, Math.floor(y - reach)); py <= Math.min(det.height - 1, Math.ceil(y + reach)); py++) {
    for (let px = Math.max(0, Math.floor(x - reach)); px <= Math.min(det.width - 1, Math.ceil(x + reach)); px++) {
      const u = (px - x) * c + (py - y) * s;
      const v = -(px - x) * s + (py - y) * c;
      image[py * det.width + px]! += norm * Math.exp(-0.5 * ((u / major) ** 2 + (v / minor) ** 2));
    }
  }
}

/** Options of {@link renderRaw}. */
export interface RenderRawOptions {
  instrument: Instrument;
  detector: DetectorDef;
  exposure: DemoExposure;
  sources: readonly DemoSource[];
  seed: number;
}

/** Simulated raw pixels in ADU: bias level and pattern, flat field applied to sky + sources, Poisson and read noise. */
export function renderRaw(options: RenderRawOptions): { pixels: Float32Array; wcs: TanWcs | null } {
  const { instrument, detector: det, exposure } = options;
  const random = createRandom(options.seed * 1_000_003 + exposure.exposure * 101 + det.id);
  const signal = new Float32Array(det.width * det.height);
  let wcs: TanWcs | null = null;
  if (exposure.type === 'flat') signal.fill(demoSignature.flatIllumination);
  if (exposure.type === 'science' && exposure.pointing !== null) {
    const scale = instrument.pixelScaleArcsec;
    wcs = makeDetectorWcs({
      boresight: exposure.pointing, skyAngleDeg: exposure.skyAngleDeg, pixelScaleArcsec: scale,
      detector: { width: det.width, height: det.height, offsetX: det.focalPlaneX, offsetY: det.focalPlaneY, rotationDeg: det.rotationDeg },
    });
    const time = exposure.exposureTimeSec / 30;
    signal.fill((demoSignature.skyPer30s[exposure.band] ?? 200) * time);
    const psfSigma = demoSignature.seeingFwhmArcsec / 2.3548 / scale;
    for (const source of options.sources) {
      const mag = source.mags[exposure.band];
      if (mag === undefined) continue;
      addSource(signal, det, wcs, source, 10 ** (-0.4 * (mag - demoSignature.zeroPoint30s)) * time, psfSigma, scale);
    }
  }
  const flat = exposure.type === 'bias' ? null : flatPattern(instrument, det, exposure.band);
  const bias = demoSignature.biasLevel(det.id);
  const pixels = new Float32Array(signal.length);
  for (let i = 0; i < pixels.length; i++) {
    const x = i % det.width;
    const electrons = flat === null ? 0 : random.poisson(signal[i]! * flat[i]!);
    const pattern = 3 * Math.sin((2 * Math.PI * x) / 64);
    const adu = bias + pattern + electrons / demoSignature.gain + demoSignature.readNoise * random.normal();
    pixels[i] = Math.min(65535, Math.max(0, Math.round(adu)));
  }
  return { pixels, wcs };
}
