import { regionFromJson, regionsOverlap, type Region } from '../geom/index.js';
import type { Registry } from '../registry/index.js';

/** A visit or visit-detector with its sky region. */
export interface ObservationRegion {
  instrument: string;
  visit: number;
  /** Set for a visit_detector_region, absent for a whole visit. */
  detector?: number;
  region: Region;
}

/** How many rows {@link writeOverlaps} added to each overlap table. */
export type OverlapCounts = Record<'visitPatch' | 'visitTract' | 'detectorPatch' | 'detectorTract', number>;

interface SkyCell {
  skymap: string;
  tract: number;
  patch?: number;
  region: Region;
}

function regionOf(record: Record<string, unknown>): Region | undefined {
  const raw = record['region'];
  return raw === null || raw === undefined ? undefined : regionFromJson(raw as object);
}

/**
 * Finds the tracts and patches of every registered skymap (or of `skymaps`) that overlap the given
 * visit and visit-detector regions, and adds the rows to the four overlap tables. Touching at an
 * edge or corner is not overlap (src/geom). Patch records are only read for overlapping tracts.
 */
export async function writeOverlaps(registry: Registry, observations: readonly ObservationRegion[], skymaps?: readonly string[]): Promise<OverlapCounts> {
  const counts: OverlapCounts = { visitPatch: 0, visitTract: 0, detectorPatch: 0, detectorTract: 0 };
  if (observations.length === 0) return counts;
  const names = skymaps ?? (await registry.queryDimensionRecords({ element: 'skymap' })).map((r) => String(r['name']));
  const rows = { visitPatch: [] as Record<string, unknown>[], visitTract: [] as Record<string, unknown>[], detectorPatch: [] as Record<string, unknown>[], detectorTract: [] as Record<string, unknown>[] };
  for (const skymap of names) {
    const tracts: SkyCell[] = [];
    for (const r of await registry.queryDimensionRecords({ element: 'tract', dataId: { skymap } })) {
      const region = regionOf(r);
      if (region) tracts.push({ skymap, tract: Number(r['id']), region });
    }
    const patchCache = new Map<number, SkyCell[]>();
    const patchesOf = async (tract: number): Promise<SkyCell[]> => {
      let cells = patchCache.get(tract);
      if (cells === undefined) {
        cells = [];
        for (const r of await registry.queryDimensionRecords({ element: 'patch', dataId: { skymap, tract } })) {
          const region = regionOf(r);
          if (region) cells.push({ skymap, tract, patch: Number(r['id']), region });
        }
        patchCache.set(tract, cells);
      }
      return cells;
    };
    for (const obs of observations) {
      const key = { instrument: obs.instrument, visit: obs.visit, ...(obs.detector === undefined ? {} : { detector: obs.detector }) };
      const whole = obs.detector === undefined;
      for (const tract of tracts) {
        if (!regionsOverlap(tract.region, obs.region)) continue;
        (whole ? rows.visitTract : rows.detectorTract).push({ ...key, skymap, tract: tract.tract });
        for (const patch of await patchesOf(tract.tract)) {
          if (regionsOverlap(patch.region, obs.region)) (whole ? rows.visitPatch : rows.detectorPatch).push({ ...key, skymap, tract: tract.tract, patch: patch.patch });
        }
      }
    }
  }
  counts.visitTract = await registry.insertOverlaps('visit', 'tract', rows.visitTract);
  counts.visitPatch = await registry.insertOverlaps('visit', 'patch', rows.visitPatch);
  counts.detectorTract = await registry.insertOverlaps('visit_detector_region', 'tract', rows.detectorTract);
  counts.detectorPatch = await registry.insertOverlaps('visit_detector_region', 'patch', rows.detectorPatch);
  return counts;
}

/** Visit and visit-detector regions stored in the registry (all instruments, or one). */
export async function readObservationRegions(registry: Registry, instrument?: string): Promise<ObservationRegion[]> {
  const dataId = instrument === undefined ? {} : { instrument };
  const out: ObservationRegion[] = [];
  for (const r of await registry.queryDimensionRecords({ element: 'visit', dataId })) {
    const region = regionOf(r);
    if (region) out.push({ instrument: String(r['instrument']), visit: Number(r['id']), region });
  }
  for (const r of await registry.queryDimensionRecords({ element: 'visit_detector_region', dataId })) {
    const region = regionOf(r);
    if (region) out.push({ instrument: String(r['instrument']), visit: Number(r['visit']), detector: Number(r['detector']), region });
  }
  return out;
}
