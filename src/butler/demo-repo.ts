import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { NotFoundError } from '../errors/index.js';
import type { DatasetRef } from '../registry/index.js';
import type { Logger } from '../util/index.js';
import type { Butler } from './butler.js';
import { DEMO_CALIB_DIR, demoCalibTypes } from './demo-calibs.js';
import { defineVisits } from './define-visits.js';
import { ingestFiles, type FileToIngest } from './ingest-files.js';
import { IngestRawsError } from './ingest-raws-error.js';
import { ingestRaws } from './ingest-raws.js';
import { instrumentCollections, registerInstrument } from './register-instrument.js';
import { registerSkymap, SKYMAP_RUN } from './register-skymap.js';

/** Collection names `setupDemoRepo` fills. */
export const DEMO_COLLECTIONS = {
  raw: 'DemoCam/raw/all',
  calib: 'DemoCam/calib',
  calibRun: 'DemoCam/calib/demo',
  refcats: 'refcats/demo',
  defaults: 'DemoCam/defaults',
} as const;

/** One finished step of {@link setupDemoRepo}. */
export interface DemoSetupStep {
  step: string;
  summary: string;
  durationMs: number;
}

/** Options of {@link setupDemoRepo}. */
export interface SetupDemoOptions {
  /** Folder written by `make-demo-data` (raw/, calib/, refcat/). */
  dir: string;
  /** Called as each step finishes (the CLI prints the summary line). */
  onStep?: (step: DemoSetupStep) => void;
  jobs?: number;
  logger?: Logger;
}

/** Reads an ingest table written by `writeDemoCalibs`: first column the file, the others data-ID values. */
function readCalibTable(file: string): FileToIngest[] {
  if (!existsSync(file)) {
    throw new NotFoundError(`Demo calibration table "${file}" does not exist.`, { hint: 'Write the demo data with `butler-ts make-demo-data DIR` first.' });
  }
  const [header, ...rows] = readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '').map((l) => l.split(',').map((c) => c.trim()));
  return rows.map((cells) => ({
    path: resolve(dirname(file), cells[0]!),
    dataId: Object.fromEntries((header ?? []).slice(1).map((h, i) => [h, cells[i + 1]!])),
  }));
}

/** Ingests files not yet in the run (so the setup can run twice); returns the new refs. */
async function ingestMissing(butler: Butler, datasetType: string, run: string, files: readonly FileToIngest[]): Promise<DatasetRef[]> {
  const found = (await butler.registry.findCollection(run)) === undefined
    ? files.map(() => undefined)
    : await butler.registry.findDatasets({ datasetType, collections: [run], dataIds: files.map((f) => f.dataId) });
  const missing = files.filter((_, i) => found[i] === undefined);
  if (missing.length === 0) return [];
  return ingestFiles(butler, { datasetType, run, files: missing, transfer: 'copy' });
}

/**
 * Builds a ready-to-process demo repository from a `make-demo-data` folder: registers DemoCam,
 * ingests `raw/`, defines visits, registers the `demo` skymap, ingests the master bias and flat
 * frames into `DemoCam/calib/demo` and certifies them into `DemoCam/calib` (unbounded validity),
 * ingests the reference catalogue as `ref_cat` into `refcats/demo`, and chains `DemoCam/defaults`.
 * Safe to run again on the same repository.
 */
export async function setupDemoRepo(butler: Butler, options: SetupDemoOptions): Promise<DemoSetupStep[]> {
  const steps: DemoSetupStep[] = [];
  const run = async (step: string, fn: () => Promise<string>): Promise<void> => {
    const started = Date.now();
    const summary = await fn();
    const done = { step, summary, durationMs: Date.now() - started };
    steps.push(done);
    options.logger?.info({ stage: `setup-demo:${step}`, durationMs: done.durationMs }, summary);
    options.onStep?.(done);
  };
  const registry = butler.registry;
  await run('register-instrument', async () => {
    const r = await registerInstrument(butler, 'DemoCam');
    return `registered instrument DemoCam (${r.recordsInserted} record(s) added; collections created: ${r.collectionsCreated.join(', ') || 'none'})`;
  });
  await run('ingest-raws', async () => {
    const r = await ingestRaws(butler, { paths: [join(options.dir, 'raw')], skipExisting: true, ...(options.jobs ? { jobs: options.jobs } : {}) });
    if (r.failures.length > 0) throw new IngestRawsError(r.failures, { ingested: r.refs.length });
    return `ingested ${r.refs.length} raw file(s) into ${DEMO_COLLECTIONS.raw} (${r.skipped.length} already there)`;
  });
  await run('define-visits', async () => {
    const r = await defineVisits(butler, { instrument: 'DemoCam' });
    return `defined ${r.visits} visit(s) (${r.visitsCreated} new) with ${r.visitDetectorRegions} visit-detector region(s)`;
  });
  await run('register-skymap', async () => {
    const r = await registerSkymap(butler, 'demo');
    return `registered skymap demo (${r.tracts} tract(s), ${r.patches} patch(es)${r.created ? '' : ', already there'}); ${r.overlaps.visitPatch} new visit-patch and ${r.overlaps.detectorPatch} new visit-detector-patch overlap(s)`;
  });
  await run('register-dataset-types', async () => {
    await registry.registerDatasetType({ name: 'bias', dimensions: ['instrument', 'detector'], storageClass: 'ExposureF', isCalibration: true });
    await registry.registerDatasetType({ name: 'flat', dimensions: ['instrument', 'detector', 'physical_filter'], storageClass: 'ExposureF', isCalibration: true });
    await registry.registerDatasetType({ name: 'ref_cat', dimensions: [], storageClass: 'SourceCatalog' });
    return 'registered dataset types bias, flat (calibrations) and ref_cat';
  });
  await run('ingest-calibs', async () => {
    const counts: string[] = [];
    let certified = 0;
    await registry.registerCollection(instrumentCollections('DemoCam').calib, 'CALIBRATION');
    for (const type of demoCalibTypes) {
      const refs = await ingestMissing(butler, type, DEMO_COLLECTIONS.calibRun, readCalibTable(join(options.dir, DEMO_CALIB_DIR, `${type}.csv`)));
      if (refs.length > 0) await registry.certify(DEMO_COLLECTIONS.calib, refs, { begin: null, end: null });
      counts.push(`${refs.length} ${type}`);
      certified += refs.length;
    }
    return certified === 0
      ? `master calibrations already in ${DEMO_COLLECTIONS.calibRun} and certified in ${DEMO_COLLECTIONS.calib}`
      : `ingested ${counts.join(', ')} into ${DEMO_COLLECTIONS.calibRun} and certified them into ${DEMO_COLLECTIONS.calib} (unbounded validity)`;
  });
  await run('ingest-refcat', async () => {
    const file = join(options.dir, 'refcat', 'demo_refcat.fits');
    if (!existsSync(file)) throw new NotFoundError(`Demo reference catalogue "${file}" does not exist.`, { hint: 'Write the demo data with `butler-ts make-demo-data DIR` first.' });
    const refs = await ingestMissing(butler, 'ref_cat', DEMO_COLLECTIONS.refcats, [{ path: file, dataId: {} }]);
    return refs.length > 0 ? `ingested ref_cat into ${DEMO_COLLECTIONS.refcats}` : `ref_cat already in ${DEMO_COLLECTIONS.refcats}`;
  });
  await run('collection-chain', async () => {
    const children = [DEMO_COLLECTIONS.raw, DEMO_COLLECTIONS.calib, DEMO_COLLECTIONS.refcats, SKYMAP_RUN];
    await registry.transaction(async (trx) => {
      await trx.registerCollection(DEMO_COLLECTIONS.defaults, 'CHAINED');
      await trx.setCollectionChain(DEMO_COLLECTIONS.defaults, children);
    });
    return `${DEMO_COLLECTIONS.defaults} = [${children.join(', ')}]`;
  });
  return steps;
}
