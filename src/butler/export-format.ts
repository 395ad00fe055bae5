import { InvalidInputError } from '../errors/index.js';

/** Version of the export file format written by {@link exportRepository}. */
export const EXPORT_FORMAT_VERSION = 1;

/** One item of an export file's `data` list. */
export type ExportItem =
  | { type: 'dimension'; element: string; records: Record<string, unknown>[] }
  | { type: 'collection'; collection_type: 'RUN' | 'TAGGED' | 'CALIBRATION'; name: string; doc?: string }
  | { type: 'collection'; collection_type: 'CHAINED'; name: string; doc?: string; children: string[] }
  | { type: 'dataset_type'; name: string; dimensions: string[]; storage_class: string; is_calibration: boolean }
  | { type: 'dataset'; dataset_type: string; run: string; records: ExportDataset[] }
  | { type: 'associations'; collection: string; collection_type: 'TAGGED'; dataset_ids: string[] }
  | { type: 'associations'; collection: string; collection_type: 'CALIBRATION'; validity_ranges: { begin: number | null; end: number | null; dataset_ids: string[] }[] };

/** A dataset in an export file. */
export interface ExportDataset {
  dataset_id: string;
  data_id: Record<string, string | number>;
  path?: string;
  formatter?: string;
}

/** The whole export file. */
export interface ExportFile {
  description: string;
  version: number;
  universe_namespace: string;
  universe_version: number;
  data: ExportItem[];
}

type Check = (value: unknown, where: string) => void;

/** Checks the structure of a parsed export file; errors name the file and the key path. */
export function validateExportFile(raw: unknown, file: string): ExportFile {
  const fail = (where: string, what: string): never => {
    throw new InvalidInputError(`Malformed export file ${file}: ${where} ${what}.`, { file, key: where, hint: 'Export files are written by `butler-ts export`; fix or regenerate the file.' });
  };
  const obj: Check = (v, w) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? undefined : fail(w, 'must be a mapping'));
  const str: Check = (v, w) => (typeof v === 'string' && v !== '' ? undefined : fail(w, 'must be a non-empty string'));
  const list: Check = (v, w) => (Array.isArray(v) ? undefined : fail(w, 'must be a list'));
  obj(raw, '(top level)');
  const top = raw as Record<string, unknown>;
  if (top['version'] !== EXPORT_FORMAT_VERSION) fail('version', `is ${JSON.stringify(top['version'])}, expected ${EXPORT_FORMAT_VERSION}`);
  list(top['data'], 'data');
  (top['data'] as unknown[]).forEach((item, i) => {
    const w = `data[${i}]`;
    obj(item, w);
    const it = item as Record<string, unknown>;
    switch (it['type']) {
      case 'dimension':
        str(it['element'], `${w}.element`);
        list(it['records'], `${w}.records`);
        (it['records'] as unknown[]).forEach((r, j) => obj(r, `${w}.records[${j}]`));
        break;
      case 'collection':
        str(it['name'], `${w}.name`);
        if (!['RUN', 'TAGGED', 'CALIBRATION', 'CHAINED'].includes(String(it['collection_type']))) fail(`${w}.collection_type`, 'must be RUN, TAGGED, CALIBRATION or CHAINED');
        if (it['collection_type'] === 'CHAINED') list(it['children'], `${w}.children`);
        break;
      case 'dataset_type':
        str(it['name'], `${w}.name`);
        list(it['dimensions'], `${w}.dimensions`);
        str(it['storage_class'], `${w}.storage_class`);
        break;
      case 'dataset':
        str(it['dataset_type'], `${w}.dataset_type`);
        str(it['run'], `${w}.run`);
        list(it['records'], `${w}.records`);
        (it['records'] as unknown[]).forEach((r, j) => {
          obj(r, `${w}.records[${j}]`);
          str((r as Record<string, unknown>)['dataset_id'], `${w}.records[${j}].dataset_id`);
          obj((r as Record<string, unknown>)['data_id'], `${w}.records[${j}].data_id`);
        });
        break;
      case 'associations':
        str(it['collection'], `${w}.collection`);
        if (it['collection_type'] === 'TAGGED') list(it['dataset_ids'], `${w}.dataset_ids`);
        else if (it['collection_type'] === 'CALIBRATION') list(it['validity_ranges'], `${w}.validity_ranges`);
        else fail(`${w}.collection_type`, 'must be TAGGED or CALIBRATION');
        break;
      default:
        fail(`${w}.type`, `is ${JSON.stringify(it['type'])}; expected dimension, collection, dataset_type, dataset or associations`);
    }
  });
  return raw as ExportFile;
}
