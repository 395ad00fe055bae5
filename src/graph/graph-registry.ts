import { NotFoundError } from '../errors/index.js';
import type {
  CollectionRecord, DataIdRow, DatasetRef, DimensionUniverse, FindDatasetsOptions, QueryDataIdsOptions, Registry, StoredDatasetType, StoredFileRecord,
} from '../registry/index.js';

/**
 * What the quantum-graph builder needs from a registry: collections, dataset types, one
 * streamed data-ID query, batched dataset lookups, datastore records and dimension records.
 * Read-only: building a graph never writes to the registry.
 */
export interface GraphRegistry {
  readonly universe: DimensionUniverse;
  /** Database URL without password (for messages). */
  readonly displayUrl: string;
  findCollection(name: string): Promise<CollectionRecord | undefined>;
  /** Children of a CHAINED collection, in order. */
  getCollectionChain(name: string): Promise<string[]>;
  /** Names of the RUN/TAGGED/CALIBRATION collections a search path expands to. */
  flattenCollections(names: readonly string[]): Promise<string[]>;
  /** The registered dataset type, or undefined when it is not registered. */
  findDatasetType(name: string): Promise<StoredDatasetType | undefined>;
  queryDataIds(options: QueryDataIdsOptions): Promise<DataIdRow[]>;
  streamDataIds(options: QueryDataIdsOptions, batchSize?: number): AsyncGenerator<DataIdRow[]>;
  /** Find-first lookup of many data IDs of one type (with timespans for calibrations). */
  findDatasets(options: FindDatasetsOptions): Promise<(DatasetRef | undefined)[]>;
  /** Datasets of one type in collections (find-first), at most `limit`. */
  queryDatasets(options: { datasetType: StoredDatasetType; collections: readonly string[]; limit?: number }): Promise<DatasetRef[]>;
  getDatastoreRecords(ids: readonly string[]): Promise<Map<string, StoredFileRecord>>;
  queryDimensionRecords(options: { element: string; dataId?: Readonly<Record<string, unknown>>; limit?: number }): Promise<Record<string, unknown>[]>;
}

/** The {@link GraphRegistry} view of a {@link Registry}. */
export function createGraphRegistry(registry: Registry): GraphRegistry {
  return {
    universe: registry.universe,
    displayUrl: registry.displayUrl,
    findCollection: (name) => registry.findCollection(name),
    getCollectionChain: (name) => registry.getCollectionChain(name),
    flattenCollections: (names) => registry.flattenCollections(names),
    findDatasetType: async (name) => {
      try {
        return await registry.getDatasetType(name);
      } catch (err) {
        if (err instanceof NotFoundError) return undefined;
        throw err;
      }
    },
    queryDataIds: (options) => registry.queryDataIds(options),
    streamDataIds: (options, batchSize) => registry.streamDataIds(options, batchSize),
    findDatasets: (options) => registry.findDatasets(options),
    queryDatasets: (options) =>
      registry.queryDatasets({ datasetTypes: [options.datasetType], collections: options.collections, findFirst: true, ...(options.limit !== undefined ? { limit: options.limit } : {}) }),
    getDatastoreRecords: (ids) => registry.getDatastoreRecords(ids),
    queryDimensionRecords: (options) => registry.queryDimensionRecords(options),
  };
}
