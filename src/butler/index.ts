/**
 * Repository-level operations that combine the registry and the datastore: create/open a
 * repository, ingest files, export/import, remove runs and datasets, retrieve artifacts.
 * @packageDocumentation
 */
export { Butler } from './butler.js';
export type { CreateRepoOptions } from './butler.js';
export { ingestFiles } from './ingest-files.js';
export type { FileToIngest, IngestFilesOptions } from './ingest-files.js';
export { exportRepository } from './export-repo.js';
export type { ExportOptions } from './export-repo.js';
export { importRepository, readExportFile } from './import-repo.js';
export type { ImportOptions } from './import-repo.js';
export { EXPORT_FORMAT_VERSION } from './export-format.js';
export type { ExportFile, ExportItem } from './export-format.js';
export { pruneDatasets, removeRuns, retrieveArtifacts } from './remove.js';
export { REPO_CONFIG_FILE, readRepoConfig } from './repo-config.js';
export type { RepoConfig } from './repo-config.js';
export { formatForStorageClass, formatterForPath } from './storage-classes.js';
export type { StorageClassFormat } from './storage-classes.js';

/**
 * `registerInstrument(butler, nameOrFileOrDefinition)`: instrument, band, physical_filter and
 * detector records, the `<I>/raw/all`, `<I>/calib`, `<I>/calib/unbounded` collections and the
 * `raw` dataset type; `loadRegisteredInstrument` / `listRegisteredInstruments` read definitions
 * back; `instrumentCollections(name)` gives the standard collection names.
 */
export { INSTRUMENT_DIR, instrumentCollections, listRegisteredInstruments, loadRegisteredInstrument, registerInstrument } from './register-instrument.js';
export type { RegisterInstrumentResult } from './register-instrument.js';

/**
 * `ingestRaws(butler, { paths, transfer, run, jobs, failFast, skipExisting, instrument })`: header-only
 * raw ingest creating exposure/day_obs/group records and `raw` datasets, all or nothing per file.
 */
export { ingestRaws, rawRecords } from './ingest-raws.js';
export type { IngestRawsOptions, IngestRawsResult } from './ingest-raws.js';
/** Failed raw files (`failures`, each naming the file and keyword); `formatRawFailure(f)` is one line. */
export { IngestRawsError, formatRawFailure } from './ingest-raws-error.js';
/** Raw file discovery and header reading: `listRawFiles`, `readRawHeaders`, `identifyInstrument` (by INSTRUME). */
export { INSTRUMENT_KEYWORD, identifyInstrument, listRawFiles, readRawHeaders } from './raw-headers.js';
export type { RawFileFailure, RawHeaderResult } from './raw-headers.js';

/** `defineVisits(butler, { instrument, collections })`: visits, visit_definition, visit_detector_region and overlaps. */
export { SCIENCE_OBSERVATION_TYPES, defineVisits } from './define-visits.js';
export type { DefineVisitsOptions, DefineVisitsResult } from './define-visits.js';

/** `registerSkymap(butler, nameOrFileOrConfig)`: skymap, tract and patch records, and overlaps with existing visits. */
export { hashSkymapConfig, registerSkymap } from './register-skymap.js';
export type { RegisterSkymapResult } from './register-skymap.js';

/** `writeOverlaps(registry, regions, skymaps?)` fills the four overlap tables; `readObservationRegions` reads stored visit regions. */
export { readObservationRegions, writeOverlaps } from './overlaps.js';
export type { ObservationRegion, OverlapCounts } from './overlaps.js';

/** Demo master calibrations (`writeDemoCalibs`) and `makeDemoDataWithCalibs` (raws, refcat and calibs). */
export { DEMO_CALIB_DIR, demoCalibTypes, makeDemoDataWithCalibs, writeDemoCalibs } from './demo-calibs.js';
export type { DemoCalibFile, DemoCalibType, DemoDataWithCalibs } from './demo-calibs.js';

/** `setupDemoRepo(butler, { dir })`: the whole chain from demo files to a ready repository. */
export { DEMO_COLLECTIONS, setupDemoRepo } from './demo-repo.js';
export type { DemoSetupStep, SetupDemoOptions } from './demo-repo.js';
