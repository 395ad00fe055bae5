import type { DatasetRef, StoredDatasetType, Timespan } from '../registry/index.js';
import type { GraphDataId } from './quantum-graph-types.js';
import type { GraphRegistry } from './graph-registry.js';

/** Registered dataset types by name (undefined: not registered), looked up once each. */
export class DatasetTypeCache {
  private readonly cache = new Map<string, Promise<StoredDatasetType | undefined>>();

  constructor(private readonly registry: GraphRegistry) {}

  get(name: string): Promise<StoredDatasetType | undefined> {
    let p = this.cache.get(name);
    if (p === undefined) {
      p = this.registry.findDatasetType(name);
      this.cache.set(name, p);
    }
    return p;
  }
}

/**
 * Find-first lookup of many data IDs of one dataset type in a search path, in one batched
 * registry call. Returns one entry per data ID (undefined where none exists, and for all of
 * them when the type is not registered or the path is empty).
 */
export async function findExisting(options: {
  registry: GraphRegistry;
  types: DatasetTypeCache;
  datasetType: string;
  collections: readonly string[];
  dataIds: readonly GraphDataId[];
  timespans?: readonly (Timespan | undefined)[];
}): Promise<(DatasetRef | undefined)[]> {
  const stored = await options.types.get(options.datasetType);
  if (stored === undefined || options.collections.length === 0 || options.dataIds.length === 0) return options.dataIds.map(() => undefined);
  return options.registry.findDatasets({
    datasetType: options.datasetType,
    collections: options.collections,
    dataIds: options.dataIds,
    ...(options.timespans ? { timespans: options.timespans } : {}),
  });
}
