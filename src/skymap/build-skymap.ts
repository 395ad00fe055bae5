import {
  degToRad, dot, makeCdMatrix, pixelBoxToPolygon, vectorFromRaDec, type PolygonRegion, type SkyPoint, type TanWcs,
} from '../geom/index.js';
import type { SkymapConfig } from './skymap-config.js';

/** A rectangle of pixels; corners are pixel edges (pixel i spans i − 0.5 … i + 0.5). */
export interface PixelBox {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** One tract: a TAN projection and a grid of patches. Field names follow the reference's tract record. */
export interface TractInfo {
  skymap: string;
  id: number;
  /** Tract centre (the WCS tangent point), degrees. */
  ra: number;
  dec: number;
  wcs: TanWcs;
  numPatches: { x: number; y: number };
  patchInnerDimensions: [number, number];
  patchBorder: number;
  /** All patches' inner boxes together. */
  innerBox: PixelBox;
  /** The inner box grown by the patch border: every patch's outer box lies inside it. */
  outerBox: PixelBox;
  innerRegion: PolygonRegion;
  /** Sky region of the outer box (what the registry stores as the tract region). */
  region: PolygonRegion;
}

/** A built skymap: its config and its tracts (patches are listed per tract on demand). */
export interface Skymap {
  name: string;
  config: SkymapConfig;
  tracts: TractInfo[];
}

/** Builds every tract of a skymap config. */
export function buildSkymap(config: SkymapConfig): Skymap {
  const centres = config.kind === 'discrete' ? discreteCentres(config) : ringCentres(config);
  return { name: config.name, config, tracts: centres.map((c, id) => makeTract(config, id, c)) };
}

interface TractCentre {
  centre: SkyPoint;
  /** Half extent to cover, radians of tangent-plane coordinate (tan of an angle), x and y. */
  halfX: number;
  halfY: number;
}

function discreteCentres(config: Extract<SkymapConfig, { kind: 'discrete' }>): TractCentre[] {
  return config.tracts.map((t) => {
    const half = Math.tan((t.radiusDeg + config.tractOverlapDeg) * degToRad);
    return { centre: { ra: t.ra, dec: t.dec }, halfX: half, halfY: half };
  });
}

/**
 * Ring layout like the reference's RingsSkyMap (simplified): a cap tract at each pole and
 * `numberOfRings` rings of equal Dec spacing between them, tract ids counted from the south pole.
 */
function ringCentres(config: Extract<SkymapConfig, { kind: 'rings' }>): TractCentre[] {
  const spacing = 180 / (config.numberOfRings + 1);
  const overlap = config.tractOverlapDeg * degToRad;
  const capHalf = Math.tan((spacing / 2) * degToRad + overlap);
  const out: TractCentre[] = [{ centre: { ra: 0, dec: -90 }, halfX: capHalf, halfY: capHalf }];
  for (let ring = 0; ring < config.numberOfRings; ring++) {
    const dec = -90 + (ring + 1) * spacing;
    const count = Math.max(1, Math.ceil((360 * Math.cos(dec * degToRad)) / spacing));
    const width = 360 / count;
    for (let i = 0; i < count; i++) {
      const ra = (((config.raStartDeg + i * width) % 360) + 360) % 360;
      out.push(cellExtent({ ra, dec }, width, spacing, overlap));
    }
  }
  out.push({ centre: { ra: 0, dec: 90 }, halfX: capHalf, halfY: capHalf });
  return out;
}

/** Tangent-plane half extents covering a ring cell (its corners and edge midpoints). */
function cellExtent(centre: SkyPoint, width: number, height: number, overlap: number): TractCentre {
  const p0 = vectorFromRaDec(centre.ra, centre.dec);
  const a = centre.ra * degToRad;
  const d = centre.dec * degToRad;
  const east = [-Math.sin(a), Math.cos(a), 0] as const;
  const north = [-Math.sin(d) * Math.cos(a), -Math.sin(d) * Math.sin(a), Math.cos(d)] as const;
  let halfX = 0;
  let halfY = 0;
  for (const fx of [-0.5, 0, 0.5]) {
    for (const fy of [-0.5, 0, 0.5]) {
      const v = vectorFromRaDec(centre.ra + fx * width, Math.max(-90, Math.min(90, centre.dec + fy * height)));
      const w = dot(v, p0);
      halfX = Math.max(halfX, Math.abs(dot(v, east) / w));
      halfY = Math.max(halfY, Math.abs(dot(v, north) / w));
    }
  }
  const grow = (h: number) => Math.tan(Math.atan(h) + overlap);
  return { centre, halfX: grow(halfX), halfY: grow(halfY) };
}

function makeTract(config: SkymapConfig, id: number, c: TractCentre): TractInfo {
  const scale = (config.pixelScaleArcsec / 3600) * degToRad;
  const [innerW, innerH] = config.patchInnerDimensions;
  const nx = Math.max(1, Math.ceil((2 * c.halfX) / scale / innerW));
  const ny = Math.max(1, Math.ceil((2 * c.halfY) / scale / innerH));
  const wcs: TanWcs = {
    crval: { ...c.centre },
    crpix: { x: (nx * innerW - 1) / 2, y: (ny * innerH - 1) / 2 },
    cd: makeCdMatrix(config.pixelScaleArcsec, 0),
  };
  const innerBox = { minX: -0.5, minY: -0.5, maxX: nx * innerW - 0.5, maxY: ny * innerH - 0.5 };
  const b = config.patchBorder;
  const outerBox = { minX: innerBox.minX - b, minY: innerBox.minY - b, maxX: innerBox.maxX + b, maxY: innerBox.maxY + b };
  return {
    skymap: config.name,
    id,
    ra: c.centre.ra,
    dec: c.centre.dec,
    wcs,
    numPatches: { x: nx, y: ny },
    patchInnerDimensions: [innerW, innerH],
    patchBorder: b,
    innerBox,
    outerBox,
    innerRegion: pixelBoxToPolygon(wcs, innerBox),
    region: pixelBoxToPolygon(wcs, outerBox),
  };
}
