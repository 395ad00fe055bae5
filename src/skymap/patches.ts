import { pixelBoxToPolygon, regionContains, regionsOverlap, skyToPixel, type PolygonRegion, type Region, type SkyPoint } from '../geom/index.js';
import type { PixelBox, Skymap, TractInfo } from './build-skymap.js';

/** One patch. `id` = cell_y * numPatches.x + cell_x, as in the reference. */
export interface PatchInfo {
  skymap: string;
  tract: number;
  id: number;
  cell_x: number;
  cell_y: number;
  innerBox: PixelBox;
  /** Inner box grown by the patch border. */
  outerBox: PixelBox;
  innerRegion: PolygonRegion;
  /** Sky region of the outer box (what the registry stores as the patch region). */
  region: PolygonRegion;
}

/** The sequential patch id of a cell. */
export function patchIdOf(tract: TractInfo, cellX: number, cellY: number): number {
  return cellY * tract.numPatches.x + cellX;
}

/** A file-name-safe patch label `XxY` (never a comma, see the seed's patch naming problem). */
export function patchLabel(patch: Pick<PatchInfo, 'cell_x' | 'cell_y'>): string {
  return `${patch.cell_x}x${patch.cell_y}`;
}

/** One patch of a tract by id; throws RangeError when out of range. */
export function getPatch(tract: TractInfo, id: number): PatchInfo {
  const count = tract.numPatches.x * tract.numPatches.y;
  if (!Number.isInteger(id) || id < 0 || id >= count) {
    throw new RangeError(`tract ${tract.id} of skymap '${tract.skymap}' has patches 0..${count - 1}, not ${id}`);
  }
  const cellX = id % tract.numPatches.x;
  const cellY = Math.floor(id / tract.numPatches.x);
  const [w, h] = tract.patchInnerDimensions;
  const innerBox = { minX: cellX * w - 0.5, minY: cellY * h - 0.5, maxX: (cellX + 1) * w - 0.5, maxY: (cellY + 1) * h - 0.5 };
  const b = tract.patchBorder;
  const outerBox = { minX: innerBox.minX - b, minY: innerBox.minY - b, maxX: innerBox.maxX + b, maxY: innerBox.maxY + b };
  return {
    skymap: tract.skymap,
    tract: tract.id,
    id,
    cell_x: cellX,
    cell_y: cellY,
    innerBox,
    outerBox,
    innerRegion: pixelBoxToPolygon(tract.wcs, innerBox),
    region: pixelBoxToPolygon(tract.wcs, outerBox),
  };
}

/** Every patch of a tract, by id. */
export function listPatches(tract: TractInfo): PatchInfo[] {
  const out: PatchInfo[] = [];
  for (let id = 0; id < tract.numPatches.x * tract.numPatches.y; id++) out.push(getPatch(tract, id));
  return out;
}

/** Tracts whose (outer) region overlaps a region. */
export function findTractsOverlapping(skymap: Skymap, region: Region): TractInfo[] {
  return skymap.tracts.filter((t) => regionsOverlap(t.region, region));
}

/** Patches of a tract whose (outer) region overlaps a region. */
export function findPatchesOverlapping(tract: TractInfo, region: Region): PatchInfo[] {
  return listPatches(tract).filter((p) => regionsOverlap(p.region, region));
}

/** The patch whose inner box holds a sky position, if the position is inside the tract's inner area. */
export function findPatchContaining(tract: TractInfo, point: SkyPoint): PatchInfo | undefined {
  if (!regionContains(tract.innerRegion, point)) return undefined;
  const { x, y } = skyToPixel(tract.wcs, point);
  const [w, h] = tract.patchInnerDimensions;
  const cx = Math.min(tract.numPatches.x - 1, Math.max(0, Math.floor((x + 0.5) / w)));
  const cy = Math.min(tract.numPatches.y - 1, Math.max(0, Math.floor((y + 0.5) / h)));
  return getPatch(tract, patchIdOf(tract, cx, cy));
}
