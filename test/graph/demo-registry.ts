import path from 'node:path';
import { loadPipeline, loadTaskCatalog, resolvePipelineGraph, type PipelineGraph } from '../../src/pipeline/index.js';
import type { DatasetRef, Registry } from '../../src/registry/index.js';
import { projectRoot } from '../support/cli.js';

/** UTC microseconds of an ISO date. */
export function micros(iso: string): number {
  return Date.parse(iso) * 1000;
}

/** The collections holding the demo inputs. */
export const DEMO_INPUTS = ['DemoCam/raw/all', 'DemoCam/calib', 'skymaps', 'refcats'];

/** Start of visit `v` (1..8): one hour apart on the night of 2024-01-02. */
export function visitBegin(v: number): number {
  return micros(`2024-01-02T0${v - 1}:00:00Z`);
}

/** The demo pipeline file. */
export const DEMO_PIPELINE = path.join(projectRoot, 'pipelines/demo/DRP-demo.yaml');

/** Loads `DRP-demo.yaml#fragment` with the shipped catalog and resolves its graph. */
export function loadDemoPipeline(fragment?: string, config: string[] = []): PipelineGraph {
  const catalog = loadTaskCatalog();
  const expanded = loadPipeline({ uri: fragment ? `${DEMO_PIPELINE}#${fragment}` : DEMO_PIPELINE, catalog, overrides: { config } });
  return resolvePipelineGraph(expanded, catalog);
}

/** Options of {@link populateDemoRegistry}. */
export interface DemoRegistryOptions {
  /** Visits (1..8 by default; 1-4 in band i, 5-8 in band r). */
  readonly visits?: readonly number[];
  /** Skip certifying flats (tests add their own). */
  readonly noFlats?: boolean;
  /** Overlap rows: every visit overlaps every patch unless given. */
  readonly overlaps?: boolean;
}

/**
 * The default demo repository in registry form: DemoCam with bands i and r (demo-i, demo-r),
 * 8 visits × 2 detectors (exposure = visit), skymap `demo` with tract 0 and patches 0-3 that
 * every visit overlaps, raws, certified bias and flats in `DemoCam/calib`, a dimensionless
 * `ref_cat` and the `skyMap`.
 */
export async function populateDemoRegistry(registry: Registry, options: DemoRegistryOptions = {}): Promise<{ raws: DatasetRef[] }> {
  const visits = options.visits ?? [1, 2, 3, 4, 5, 6, 7, 8];
  const filterOf = (v: number): string => (v <= 4 ? 'demo-i' : 'demo-r');
  await registry.insertDimensionRecords('instrument', [{ name: 'DemoCam', class_name: 'bps_ts.instruments.DemoCam', detector_max: 2, visit_max: 1000, exposure_max: 1000 }]);
  await registry.insertDimensionRecords('band', [{ name: 'i' }, { name: 'r' }]);
  await registry.insertDimensionRecords('physical_filter', [{ instrument: 'DemoCam', name: 'demo-i', band: 'i' }, { instrument: 'DemoCam', name: 'demo-r', band: 'r' }]);
  await registry.insertDimensionRecords('detector', [0, 1].map((id) => ({ instrument: 'DemoCam', id, full_name: id === 0 ? 'S00' : 'N00' })));
  await registry.insertDimensionRecords('day_obs', [{ instrument: 'DemoCam', id: 20240101, timespan: { begin: micros('2024-01-01T12:00:00Z'), end: micros('2024-01-02T12:00:00Z') } }]);
  await registry.insertDimensionRecords('group', visits.map((v) => ({ instrument: 'DemoCam', name: `g${v}` })));
  const ts = (v: number): { begin: number; end: number } => ({ begin: visitBegin(v), end: visitBegin(v) + 30_000_000 });
  await registry.insertDimensionRecords('exposure', visits.map((v) => ({ instrument: 'DemoCam', id: v, physical_filter: filterOf(v), day_obs: 20240101, group: `g${v}`, timespan: ts(v), observation_type: 'science' })));
  await registry.insertDimensionRecords('visit', visits.map((v) => ({ instrument: 'DemoCam', id: v, physical_filter: filterOf(v), day_obs: 20240101, name: `v${v}`, timespan: ts(v) })));
  await registry.insertDimensionRecords('visit_definition', visits.map((v) => ({ instrument: 'DemoCam', exposure: v, visit: v })));
  await registry.insertDimensionRecords('skymap', [{ name: 'demo' }]);
  await registry.insertDimensionRecords('tract', [{ skymap: 'demo', id: 0 }]);
  await registry.insertDimensionRecords('patch', [0, 1, 2, 3].map((id) => ({ skymap: 'demo', tract: 0, id })));
  if (options.overlaps !== false) {
    await registry.insertOverlaps('visit', 'tract', visits.map((visit) => ({ instrument: 'DemoCam', visit, skymap: 'demo', tract: 0 })));
    await registry.insertOverlaps('visit', 'patch', visits.flatMap((visit) => [0, 1, 2, 3].map((patch) => ({ instrument: 'DemoCam', visit, skymap: 'demo', tract: 0, patch }))));
    await registry.insertOverlaps('visit_detector_region', 'tract', visits.flatMap((visit) => [0, 1].map((detector) => ({ instrument: 'DemoCam', visit, detector, skymap: 'demo', tract: 0 }))));
    await registry.insertOverlaps('visit_detector_region', 'patch', visits.flatMap((visit) => [0, 1].flatMap((detector) => [0, 1, 2, 3].map((patch) => ({ instrument: 'DemoCam', visit, detector, skymap: 'demo', tract: 0, patch })))));
  }
  await registry.registerDatasetType({ name: 'raw', dimensions: ['instrument', 'exposure', 'detector'], storageClass: 'Exposure' });
  await registry.registerDatasetType({ name: 'bias', dimensions: ['instrument', 'detector'], storageClass: 'ExposureF', isCalibration: true });
  await registry.registerDatasetType({ name: 'flat', dimensions: ['instrument', 'physical_filter', 'detector'], storageClass: 'ExposureF', isCalibration: true });
  await registry.registerDatasetType({ name: 'ref_cat', dimensions: [], storageClass: 'SourceCatalog' });
  await registry.registerDatasetType({ name: 'skyMap', dimensions: ['skymap'], storageClass: 'SkyMap' });
  for (const run of ['DemoCam/raw/all', 'DemoCam/calib/run', 'skymaps', 'refcats']) await registry.registerRun(run);
  await registry.registerCollection('DemoCam/calib', 'CALIBRATION');
  const raws = await registry.insertDatasets({ datasetType: 'raw', run: 'DemoCam/raw/all', dataIds: visits.flatMap((exposure) => [0, 1].map((detector) => ({ instrument: 'DemoCam', exposure, detector }))) });
  await registry.insertDatastoreRecords(raws.map((r) => ({ datasetId: r.id, path: `raw/raw_${r.dataId['exposure']}_${r.dataId['detector']}.fits`, formatter: 'fits', storageClass: 'Exposure', fileSize: 100, checksum: null })));
  const biases = await registry.insertDatasets({ datasetType: 'bias', run: 'DemoCam/calib/run', dataIds: [0, 1].map((detector) => ({ instrument: 'DemoCam', detector })) });
  await registry.certify('DemoCam/calib', biases, { begin: micros('2024-01-01T00:00:00Z'), end: null });
  if (!options.noFlats) {
    const flats = await registry.insertDatasets({ datasetType: 'flat', run: 'DemoCam/calib/run', dataIds: ['demo-i', 'demo-r'].flatMap((physical_filter) => [0, 1].map((detector) => ({ instrument: 'DemoCam', physical_filter, detector }))) });
    await registry.certify('DemoCam/calib', flats, { begin: micros('2024-01-01T00:00:00Z'), end: null });
  }
  await registry.insertDatasets({ datasetType: 'ref_cat', run: 'refcats', dataIds: [{}] });
  await registry.insertDatasets({ datasetType: 'skyMap', run: 'skymaps', dataIds: [{ skymap: 'demo' }] });
  return { raws };
}
