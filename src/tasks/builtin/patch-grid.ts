import type { TanWcs } from '../../geom/index.js';
import { getPatch, type Skymap } from '../../skymap/index.js';
import { TaskInputError } from '../task-errors.js';
import { getDimension, getInput, inputValue } from '../task-helpers.js';
import type { TaskContext } from '../task-types.js';

/** The pixel grid of a patch's outer box: size, parent origin and the WCS of its own pixels. */
export interface PatchGrid {
  width: number;
  height: number;
  xy0: { x: number; y: number };
  wcs: TanWcs;
}

function isSkymap(value: unknown): value is Skymap {
  const v = value as Partial<Skymap> | null;
  return typeof v === 'object' && v !== null && Array.isArray(v.tracts) && typeof v.name === 'string';
}

/** The grid of the quantum's (tract, patch) from the `skyMap` input. */
export function readPatchGrid(ctx: TaskContext): PatchGrid {
  const skymap = inputValue(ctx, getInput(ctx, 'skyMap'), isSkymap, 'a SkyMap');
  const tractId = Number(getDimension(ctx, 'tract'));
  const patchId = Number(getDimension(ctx, 'patch'));
  const tract = skymap.tracts.find((t) => t.id === tractId);
  if (tract === undefined) {
    throw new TaskInputError(`task '${ctx.label}': skymap '${skymap.name}' has no tract ${tractId} (tracts 0..${skymap.tracts.length - 1})`, { task: ctx.label, key: 'tract' });
  }
  let patch;
  try {
    patch = getPatch(tract, patchId);
  } catch (error) {
    throw new TaskInputError(`task '${ctx.label}': ${(error as Error).message}`, { task: ctx.label, key: 'patch', cause: error });
  }
  const box = patch.outerBox;
  const xy0 = { x: box.minX + 0.5, y: box.minY + 0.5 };
  return {
    width: Math.round(box.maxX - box.minX),
    height: Math.round(box.maxY - box.minY),
    xy0,
    wcs: { crval: { ...tract.wcs.crval }, crpix: { x: tract.wcs.crpix.x - xy0.x, y: tract.wcs.crpix.y - xy0.y }, cd: tract.wcs.cd },
  };
}
