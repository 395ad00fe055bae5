import { ConflictError } from '../errors/index.js';
import { regionFromJson, regionToJson } from '../geom/index.js';
import { computeVisitDetectorRegion, computeVisitRegion, type Pointing } from '../instrument/index.js';
import type { Registry } from '../registry/index.js';
import type { Logger } from '../util/index.js';
import type { Butler } from './butler.js';
import { writeOverlaps, type ObservationRegion, type OverlapCounts } from './overlaps.js';
import { instrumentCollections, loadRegisteredInstrument } from './register-instrument.js';

/** Observation types that make a visit (after the instrument's header mapping). */
export const SCIENCE_OBSERVATION_TYPES = ['science', 'object'] as const;

/** Options of {@link defineVisits}. */
export interface DefineVisitsOptions {
  instrument: string;
  /** Collections searched for raws, which say which detectors each exposure has (default `<I>/raw/all`). */
  collections?: readonly string[];
  logger?: Logger;
}

/** What {@link defineVisits} did. */
export interface DefineVisitsResult {
  /** Visits defined (new or already there). */
  visits: number;
  visitsCreated: number;
  visitDetectorRegions: number;
  overlaps: OverlapCounts;
}

/** Detector ids of each exposure's raws in the collections. */
async function detectorsByExposure(registry: Registry, instrument: string, collections: readonly string[]): Promise<Map<number, number[]>> {
  const raw = await registry.getDatasetType('raw');
  const refs = await registry.queryDatasets({ datasetTypes: [raw], collections, dataId: { instrument }, findFirst: true });
  const out = new Map<number, number[]>();
  for (const ref of refs) {
    const list = out.get(Number(ref.dataId['exposure'])) ?? [];
    list.push(Number(ref.dataId['detector']));
    out.set(Number(ref.dataId['exposure']), list);
  }
  for (const list of out.values()) list.sort((a, b) => a - b);
  return out;
}

/**
 * Defines one visit per science exposure of an instrument (visit id = exposure id): visit records
 * with the exposure's filter, day, timespan and the region around its detectors; visit_definition
 * records; visit_detector_region records with each detector's region from the pointing and the
 * instrument geometry. Then adds the overlaps with every registered skymap. Running it again
 * changes nothing; a visit whose stored definition differs is a ConflictError naming it.
 */
export async function defineVisits(butler: Butler, options: DefineVisitsOptions): Promise<DefineVisitsResult> {
  const started = Date.now();
  const instrument = await loadRegisteredInstrument(butler, options.instrument);
  const registry = butler.registry;
  const detectors = await detectorsByExposure(registry, instrument.name, options.collections ?? [instrumentCollections(instrument.name).raw]);
  const exposures = (await registry.queryDimensionRecords({ element: 'exposure', dataId: { instrument: instrument.name } }))
    .filter((e) => (SCIENCE_OBSERVATION_TYPES as readonly string[]).includes(String(e['observation_type'] ?? '').toLowerCase()))
    .filter((e) => detectors.has(Number(e['id'])));
  const visits: Record<string, unknown>[] = [];
  const definitions: Record<string, unknown>[] = [];
  const detectorRegions: Record<string, unknown>[] = [];
  const observations: ObservationRegion[] = [];
  for (const e of exposures) {
    const id = Number(e['id']);
    const pointing: Pointing = { exposure: id, tracking_ra: e['tracking_ra'] as number | null, tracking_dec: e['tracking_dec'] as number | null, sky_angle: Number(e['sky_angle'] ?? 0) };
    const dets = detectors.get(id)!;
    // Stored regions are what later overlap computations read back; use the same round-tripped form now.
    const visitJson = regionToJson(computeVisitRegion(instrument, pointing, dets));
    visits.push({
      instrument: instrument.name, id, name: e['obs_id'], physical_filter: e['physical_filter'], day_obs: e['day_obs'],
      exposure_time: e['exposure_time'], target_name: e['target_name'], science_program: e['science_program'],
      observation_reason: e['observation_reason'], zenith_angle: e['zenith_angle'], timespan: e['timespan'], region: visitJson,
    });
    definitions.push({ instrument: instrument.name, exposure: id, visit: id });
    observations.push({ instrument: instrument.name, visit: id, region: regionFromJson(visitJson) });
    for (const detector of dets) {
      const json = regionToJson(computeVisitDetectorRegion(instrument, pointing, detector));
      detectorRegions.push({ instrument: instrument.name, visit: id, detector, region: json });
      observations.push({ instrument: instrument.name, visit: id, detector, region: regionFromJson(json) });
    }
  }
  const result = await registry.transaction(async (trx) => {
    let visitsCreated = 0;
    try {
      visitsCreated = await trx.insertDimensionRecords('visit', visits, 'sync');
      await trx.insertDimensionRecords('visit_definition', definitions, 'sync');
      await trx.insertDimensionRecords('visit_detector_region', detectorRegions, 'sync');
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      throw new ConflictError(`define-visits for ${instrument.name}: a visit was defined before with different values: ${err.message}`, {
        cause: err,
        hint: 'This happens when raws of more detectors were ingested after the visits were defined; define them in a new repository, or remove the old visit records.',
      });
    }
    const overlaps = await writeOverlaps(trx, observations);
    return { visits: visits.length, visitsCreated, visitDetectorRegions: detectorRegions.length, overlaps };
  });
  options.logger?.info({ stage: 'define-visits', instrument: instrument.name, ...result, durationMs: Date.now() - started }, 'define-visits done');
  return result;
}
