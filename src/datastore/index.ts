/**
 * The file datastore: where dataset files live, named by file templates, placed atomically and
 * never outside the root.
 * @packageDocumentation
 */
export { FileDatastore, tempPath, writeAtomic, writeAtomicSync } from './file-datastore.js';
export type { FileArtifact, FileDatastoreOptions, PlacedArtifact } from './file-datastore.js';
export { DEFAULT_TEMPLATE, FileTemplate, FileTemplates, normalizeRelativePath } from './file-template.js';
export type { TemplateFields } from './file-template.js';
export { resolveInside } from './safe-path.js';
export { TRANSFER_MODES, checksumFile, parseTransferMode, transferFile } from './transfer.js';
export type { TransferMode } from './transfer.js';
