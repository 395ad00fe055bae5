import { join, resolve } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { writeAtomic, type TransferMode } from '../datastore/index.js';
import type { DatasetRef } from '../registry/index.js';
import type { Butler } from './butler.js';
import { EXPORT_FORMAT_VERSION, type ExportDataset, type ExportFile, type ExportItem } from './export-format.js';

/** Options of {@link exportRepository}. */
export interface ExportOptions {
  /** Collections to export; chains bring their children. */
  collections: readonly string[];
  /** Directory receiving `export.yaml` and, with a transfer mode, the files. */
  directory: string;
  /** How files are placed in the directory; without it only the YAML is written. */
  transfer?: Exclude<TransferMode, 'direct' | 'auto' | 'move'>;
  /** Include every dimension record (default true). */
  dimensions?: boolean;
}

/** Writes an export file (and optionally the files) of the given collections. Returns its path. */
export async function exportRepository(butler: Butler, options: ExportOptions): Promise<{ file: string; datasets: number }> {
  const registry = butler.registry;
  const data: ExportItem[] = [];
  if (options.dimensions !== false) {
    for (const element of registry.universe.elements.keys()) {
      const records = await registry.queryDimensionRecords({ element });
      if (records.length > 0) data.push({ type: 'dimension', element, records });
    }
  }
  const collections = await gatherCollections(butler, options.collections);
  const runs = collections.filter((c) => c.type === 'RUN').map((c) => c.name);
  const datasetTypes = await registry.queryDatasetTypes();
  for (const c of collections) {
    if (c.type === 'CHAINED') data.push({ type: 'collection', collection_type: 'CHAINED', name: c.name, children: await registry.getCollectionChain(c.name) });
    else data.push({ type: 'collection', collection_type: c.type, name: c.name, ...(c.doc ? { doc: c.doc } : {}) });
  }
  const byRun = new Map<string, DatasetRef[]>();
  for (const run of runs) byRun.set(run, await registry.queryDatasets({ datasetTypes, collections: [run] }));
  const usedTypes = new Set([...byRun.values()].flat().map((r) => r.datasetType));
  for (const t of datasetTypes.filter((t) => usedTypes.has(t.name))) {
    data.push({ type: 'dataset_type', name: t.name, dimensions: [...t.dimensions], storage_class: t.storageClass, is_calibration: t.isCalibration });
  }
  let count = 0;
  for (const [run, refs] of byRun) {
    const artifacts = await butler.artifactsOf(refs);
    const byType = new Map<string, ExportDataset[]>();
    for (const [i, ref] of refs.entries()) {
      const art = artifacts[i];
      let path = art?.path;
      if (art && options.transfer) path = await butler.datastore.retrieve(art.path, options.directory, art.path.startsWith('/') ? `external/${ref.id}` : art.path, false).then(() => (art.path.startsWith('/') ? `external/${ref.id}` : art.path));
      byType.set(ref.datasetType, [
        ...(byType.get(ref.datasetType) ?? []),
        { dataset_id: ref.id, data_id: { ...ref.dataId }, ...(path ? { path, formatter: art!.formatter } : {}) },
      ]);
      count += 1;
    }
    for (const [datasetType, records] of byType) data.push({ type: 'dataset', dataset_type: datasetType, run, records });
  }
  for (const c of collections) {
    if (c.type === 'TAGGED') {
      const refs = await registry.queryDatasets({ datasetTypes, collections: [c.name] });
      data.push({ type: 'associations', collection: c.name, collection_type: 'TAGGED', dataset_ids: refs.map((r) => r.id) });
    } else if (c.type === 'CALIBRATION') {
      const certs = await registry.getCertifications(c.name);
      const ranges = new Map<string, { begin: number | null; end: number | null; dataset_ids: string[] }>();
      for (const cert of certs) {
        const key = `${cert.timespan.begin}:${cert.timespan.end}`;
        const entry = ranges.get(key) ?? { begin: cert.timespan.begin, end: cert.timespan.end, dataset_ids: [] };
        entry.dataset_ids.push(cert.datasetId);
        ranges.set(key, entry);
      }
      data.push({ type: 'associations', collection: c.name, collection_type: 'CALIBRATION', validity_ranges: [...ranges.values()] });
    }
  }
  const file: ExportFile = {
    description: 'bps-ts repository export',
    version: EXPORT_FORMAT_VERSION,
    universe_namespace: registry.universe.namespace,
    universe_version: registry.universe.version,
    data,
  };
  const path = join(resolve(options.directory), 'export.yaml');
  await writeAtomic(path, stringifyYaml(file));
  return { file: path, datasets: count };
}

async function gatherCollections(butler: Butler, names: readonly string[]): Promise<{ name: string; type: 'RUN' | 'TAGGED' | 'CALIBRATION' | 'CHAINED'; doc: string | null }[]> {
  const out = new Map<string, { name: string; type: 'RUN' | 'TAGGED' | 'CALIBRATION' | 'CHAINED'; doc: string | null }>();
  const visit = async (name: string): Promise<void> => {
    if (out.has(name)) return;
    const c = await butler.registry.getCollection(name);
    if (c.type === 'CHAINED') for (const child of await butler.registry.getCollectionChain(name)) await visit(child);
    out.set(name, { name: c.name, type: c.type, doc: c.doc });
  };
  for (const n of names) await visit(n);
  const list = [...out.values()];
  const tagged = list.filter((c) => c.type === 'TAGGED' || c.type === 'CALIBRATION');
  // Datasets tagged or certified into exported collections must come along with their runs.
  const datasetTypes = await butler.registry.queryDatasetTypes();
  for (const c of tagged) {
    const refs = c.type === 'TAGGED' ? await butler.registry.queryDatasets({ datasetTypes, collections: [c.name] }) : [...(await butler.registry.getDatasets((await butler.registry.getCertifications(c.name)).map((x) => x.datasetId))).values()];
    for (const r of refs) if (!out.has(r.run)) out.set(r.run, { name: r.run, type: 'RUN', doc: null });
  }
  // Chains last, so that importing in file order finds their children.
  const order = { RUN: 0, TAGGED: 1, CALIBRATION: 1, CHAINED: 2 } as const;
  return [...out.values()].sort((a, b) => order[a.type] - order[b.type]);
}
