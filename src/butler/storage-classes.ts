/** How files of a storage class are written: formatter name and file extension. */
export interface StorageClassFormat {
  readonly formatter: string;
  readonly extension: string;
}

const FORMATS: Readonly<Record<string, StorageClassFormat>> = {
  Exposure: { formatter: 'fits-image', extension: '.fits' },
  ExposureF: { formatter: 'fits-image', extension: '.fits' },
  ExposureI: { formatter: 'fits-image', extension: '.fits' },
  ImageF: { formatter: 'fits-image', extension: '.fits' },
  MaskedImageF: { formatter: 'fits-image', extension: '.fits' },
  ImageU: { formatter: 'fits-image', extension: '.fits' },
  Background: { formatter: 'fits-table', extension: '.fits' },
  SourceCatalog: { formatter: 'fits-table', extension: '.fits' },
  SimpleCatalog: { formatter: 'fits-table', extension: '.fits' },
  Catalog: { formatter: 'fits-table', extension: '.fits' },
  PeakCatalog: { formatter: 'fits-table', extension: '.fits' },
  SkyMap: { formatter: 'yaml', extension: '.yaml' },
  Camera: { formatter: 'yaml', extension: '.yaml' },
  DataFrame: { formatter: 'fits-table', extension: '.fits' },
  ArrowAstropy: { formatter: 'fits-table', extension: '.fits' },
  StructuredDataDict: { formatter: 'yaml', extension: '.yaml' },
  TaskMetadata: { formatter: 'json', extension: '.json' },
  Config: { formatter: 'yaml', extension: '.yaml' },
  Packages: { formatter: 'yaml', extension: '.yaml' },
  ButlerLogRecords: { formatter: 'json', extension: '.json' },
  Json: { formatter: 'json', extension: '.json' },
};

/** The format of a storage class; unknown classes are stored as opaque files. */
export function formatForStorageClass(storageClass: string): StorageClassFormat {
  return FORMATS[storageClass] ?? { formatter: 'file', extension: '' };
}

/** A formatter guessed from a file name, for ingest of existing files. */
export function formatterForPath(path: string): string {
  if (/\.fits?(\.fz|\.gz)?$/i.test(path)) return 'fits';
  if (/\.json$/i.test(path)) return 'json';
  if (/\.ya?ml$/i.test(path)) return 'yaml';
  return 'file';
}
