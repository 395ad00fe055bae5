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
