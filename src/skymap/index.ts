/**
 * Skymaps: tracts (one TAN projection each) split into patches, from a YAML config of kind
 * `discrete` (listed tract centres and radii) or `rings` (the whole sky in Dec rings, like the
 * reference's RingsSkyMap, simplified). Patches have an integer id `cell_y * nx + cell_x` plus
 * `cell_x`/`cell_y`; nothing produced here contains a comma.
 * @packageDocumentation
 */

/** Config types, `parseSkymapConfig(doc, file)`, `loadSkymapConfig(file)`, `findSkymapConfig(nameOrPath)`. */
export { findSkymapConfig, loadSkymapConfig, parseSkymapConfig, shippedSkymapDir, skymapKinds } from './skymap-config.js';
export type { DiscreteTractConfig, SkymapConfig, SkymapKind } from './skymap-config.js';

/** `buildSkymap(config)`: every tract with its WCS, patch grid and regions. */
export { buildSkymap } from './build-skymap.js';
export type { PixelBox, Skymap, TractInfo } from './build-skymap.js';

/** Patch access and spatial look-ups. */
export {
  findPatchContaining, findPatchesOverlapping, findTractsOverlapping, getPatch, listPatches, patchIdOf, patchLabel,
} from './patches.js';
export type { PatchInfo } from './patches.js';
