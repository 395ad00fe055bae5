/**
 * Synthetic demo data for the DemoCam instrument: raw bias, flat and science FITS files with a
 * bias level and pattern, a flat-field pattern, sky, stars, galaxies and noise, plus a reference
 * catalogue of the stars. Shaped like the seeds' HSC test data by default: bands i and r, 4 visits
 * per band, 2 detectors per visit, all overlapping the 4 patches of `pipelines/skymaps/demo.yaml`.
 * @packageDocumentation
 */

/** `planDemoData(instrument, options?)`: the pure, deterministic plan of exposures and sources. */
export { demoExposureTypes, planDemoData } from './plan-demo.js';
export type { DemoExposure, DemoExposureType, DemoOptions, DemoPlan, DemoSource } from './plan-demo.js';

/** `renderRaw(options)`: the pixels of one raw file; `flatPattern` and `demoSignature` describe the simulated camera. */
export { demoSignature, flatPattern, renderRaw } from './render-raw.js';
export type { RenderRawOptions } from './render-raw.js';

/** `makeDemoData({ dir, ...options })`: writes the raw files and the reference catalogue. */
export { makeDemoData } from './make-demo-data.js';
export type { DemoData, DemoRawFile, MakeDemoDataOptions } from './make-demo-data.js';

/** A seeded random generator (uniform, normal, Poisson). */
export { createRandom } from './random.js';
export type { Random } from './random.js';
