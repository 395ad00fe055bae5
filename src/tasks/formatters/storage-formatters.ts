import { readFile } from 'node:fs/promises';
import { TaskInputError } from '../task-errors.js';
import { isBackgroundModel } from '../science/background.js';
import { isCatalog } from '../science/catalog.js';
import { isExposure } from '../science/exposure.js';
import { decodeExposure, encodeExposure } from './exposure-formatter.js';
import { decodeBackground, decodeCatalog, encodeBackground, encodeCatalog } from './table-formatter.js';
import { decodeCamera, decodeJson, decodeSkymap, decodeYaml, encodeCamera, encodeJson, encodeSkymap, encodeYaml } from './text-formatters.js';

/** File formats of the storage classes tasks read and write. */
export const datasetFormats = ['exposure', 'catalog', 'background', 'yaml', 'json', 'skymap', 'camera'] as const;
export type DatasetFormat = (typeof datasetFormats)[number];

const storageClassFormats: Readonly<Record<string, DatasetFormat>> = {
  Exposure: 'exposure', ExposureF: 'exposure', ExposureI: 'exposure', ImageF: 'exposure', ImageU: 'exposure', MaskedImageF: 'exposure',
  SourceCatalog: 'catalog', SimpleCatalog: 'catalog', Catalog: 'catalog', DataFrame: 'catalog', ArrowAstropy: 'catalog', PeakCatalog: 'catalog',
  Background: 'background',
  StructuredDataDict: 'yaml', Config: 'yaml', Packages: 'yaml',
  TaskMetadata: 'json', ButlerLogRecords: 'json', Json: 'json',
  SkyMap: 'skymap',
  Camera: 'camera',
};

const extensions: Record<DatasetFormat, string> = {
  exposure: '.fits', catalog: '.fits', background: '.fits', yaml: '.yaml', json: '.json', skymap: '.yaml', camera: '.yaml',
};

/** The format of a storage class; throws naming the known classes when it has none. */
export function formatOfStorageClass(storageClass: string): DatasetFormat {
  const format = storageClassFormats[storageClass];
  if (format === undefined) {
    throw new TaskInputError(`no formatter for storage class '${storageClass}'`, {
      key: storageClass,
      hint: `known storage classes: ${Object.keys(storageClassFormats).join(', ')}`,
    });
  }
  return format;
}

/** True when tasks can read and write this storage class. */
export function hasFormatter(storageClass: string): boolean {
  return storageClassFormats[storageClass] !== undefined;
}

function checkShape(storageClass: string, ok: boolean, expected: string): void {
  if (!ok) {
    throw new TaskInputError(`cannot write a '${storageClass}' dataset: the object is not ${expected}`, {
      key: storageClass,
      hint: 'return the in-memory type the storage class expects from the task',
    });
  }
}

/** Bytes and file extension (with the dot) of an in-memory dataset. */
export function writeDataset(storageClass: string, object: unknown): { bytes: Uint8Array; extension: string } {
  const format = formatOfStorageClass(storageClass);
  const extension = extensions[format];
  switch (format) {
    case 'exposure':
      checkShape(storageClass, isExposure(object), 'an Exposure');
      return { bytes: encodeExposure(object as never), extension };
    case 'catalog':
      checkShape(storageClass, isCatalog(object), 'a Catalog');
      return { bytes: encodeCatalog(object as never), extension };
    case 'background':
      checkShape(storageClass, isBackgroundModel(object), 'a BackgroundModel');
      return { bytes: encodeBackground(object as never), extension };
    case 'yaml': return { bytes: encodeYaml(object), extension };
    case 'json': return { bytes: encodeJson(object), extension };
    case 'skymap': return { bytes: encodeSkymap(object as never), extension };
    case 'camera': return { bytes: encodeCamera(object as never), extension };
  }
}

/** Decodes dataset bytes of a storage class; `file` names the source in errors. */
export function decodeDataset(storageClass: string, bytes: Uint8Array, file = '<buffer>'): unknown {
  switch (formatOfStorageClass(storageClass)) {
    case 'exposure': return decodeExposure(bytes, file);
    case 'catalog': return decodeCatalog(bytes, file);
    case 'background': return decodeBackground(bytes, file);
    case 'yaml': return decodeYaml(bytes, file);
    case 'json': return decodeJson(bytes, file);
    case 'skymap': return decodeSkymap(bytes, file);
    case 'camera': return decodeCamera(bytes, file);
  }
}

/** Reads a dataset file of a storage class into its in-memory form. */
export async function readDataset(storageClass: string, path: string): Promise<unknown> {
  formatOfStorageClass(storageClass);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new TaskInputError(`cannot read '${storageClass}' dataset file '${path}': ${(error as Error).message}`, { key: path, cause: error });
  }
  return decodeDataset(storageClass, bytes, path);
}
