import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InvalidInputError } from '../errors/index.js';
import type { PlacedArtifact, TransferMode } from '../datastore/index.js';
import type { Butler } from './butler.js';
import { validateExportFile, type ExportFile } from './export-format.js';

/** Options of {@link importRepository}. */
export interface ImportOptions {
  /** Directory the export file's relative paths are relative to. */
  directory: string;
  /** Export file; `DIRECTORY/export.yaml` by default. */
  exportFile?: string;
  transfer: TransferMode;
  /** Skip dimension records (they must exist already). */
  skipDimensions?: boolean;
}

/** Reads and checks an export file. */
export function readExportFile(path: string): ExportFile {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new InvalidInputError(`Cannot read export file ${path}: ${(err as Error).message}`, { file: path, cause: err });
  }
  return validateExportFile(raw, path);
}

/**
 * Imports an export file: dimension records, collections, dataset types, datasets with their
 * files, tags and certifications, all in one registry transaction; on any error the registry is
 * unchanged and placed files are removed.
 */
export async function importRepository(butler: Butler, options: ImportOptions): Promise<{ datasets: number }> {
  const exportPath = resolve(options.exportFile ?? join(options.directory, 'export.yaml'));
  const file = readExportFile(exportPath);
  const placed: PlacedArtifact[] = [];
  const artifactIds: string[] = [];
  let count = 0;
  return butler.commitArtifacts(placed, async (registry) => {
    for (const [i, item] of file.data.entries()) {
      const where = `${exportPath}: data[${i}]`;
      try {
        switch (item.type) {
          case 'dimension':
            if (!options.skipDimensions) await registry.insertDimensionRecords(item.element, item.records, 'sync');
            break;
          case 'collection':
            await registry.registerCollection(item.name, item.collection_type, item.doc);
            if (item.collection_type === 'CHAINED') await registry.setCollectionChain(item.name, item.children);
            break;
          case 'dataset_type':
            await registry.registerDatasetType({ name: item.name, dimensions: item.dimensions, storageClass: item.storage_class, isCalibration: item.is_calibration });
            break;
          case 'dataset': {
            await registry.registerRun(item.run);
            const refs = await registry.insertDatasets({ datasetType: item.dataset_type, run: item.run, dataIds: item.records.map((r) => r.data_id), ids: item.records.map((r) => r.dataset_id) });
            const datasetType = await registry.getDatasetType(item.dataset_type);
            for (const [j, rec] of item.records.entries()) {
              if (!rec.path) continue;
              const ref = refs[j]!;
              const fields = await butler.templateFields(ref, datasetType.dimensions, registry);
              placed.push(await butler.datastore.ingest({ source: resolve(options.directory, rec.path), fields, storageClass: datasetType.storageClass, formatter: rec.formatter ?? 'file', mode: options.transfer }));
              artifactIds.push(ref.id);
            }
            count += refs.length;
            break;
          }
          case 'associations':
            if (item.collection_type === 'TAGGED') {
              await registry.associate(item.collection, [...(await registry.getDatasets(item.dataset_ids)).values()]);
            } else {
              for (const range of item.validity_ranges) {
                await registry.certify(item.collection, [...(await registry.getDatasets(range.dataset_ids)).values()], { begin: range.begin, end: range.end });
              }
            }
            break;
        }
      } catch (err) {
        if (err instanceof Error) err.message = `${where}: ${err.message}`;
        throw err;
      }
    }
    await registry.insertDatastoreRecords(placed.map((p, i) => ({ datasetId: artifactIds[i]!, ...p.artifact })));
    return { datasets: count };
  });
}

