import { InvalidInputError } from '../errors/index.js';
import { associateDatasets, certifyDatasets, disassociateDatasets, getDatasetsById, listCertifications } from './associations.js';
import {
  findCollection, flattenCollections, forgetCollections, getChildren, getCollection, getParents, listCollections, registerCollection, setChain,
} from './collections.js';
import { makeCaches, type CollectionRecord, type CollectionType, type RegistryContext, type StoredDatasetType } from './context.js';
import type { DatasetRef, Timespan } from './dataset-ref.js';
import { getDatasetType, listDatasetTypes, registerDatasetType, removeDatasetType, type DatasetTypeDefinition } from './dataset-types.js';
import { findDatasets, type FindDatasetsOptions } from './datasets-find.js';
import { insertDatasets, type InsertDatasetsOptions } from './datasets-insert.js';
import { queryDatasets, type QueryDatasetsOptions } from './datasets-query.js';
import { datasetIdsInRun, deleteDatasets, type RemovedArtifact } from './datasets-remove.js';
import { openDatabase, type DatabaseHandle, type OpenDatabaseOptions } from './db/connect.js';
import { checkSchemaAttributes, createSchema, writeSchemaAttributes } from './db/schema.js';
import { withWriteTransaction } from './db/transaction.js';
import { expandDataId, queryDimensionRecords, type QueryDimensionRecordsOptions } from './dimension-query.js';
import { insertDimensionRecords, type DimensionRecord, type RecordConflictMode } from './dimension-records.js';
import { getDatastoreRecords, insertDatastoreRecords, removeDatastoreRecords, type StoredFileRecord } from './datastore-records.js';
import { insertOverlaps, type OverlapRow } from './overlaps.js';
import { DimensionUniverse } from './universe.js';
import { queryProvenance, recordProvenance, type QuantumProvenance, type QuantumStatus } from './provenance.js';
import type { CompiledQuery } from 'kysely';
import { compileDataIdQuery, queryDataIds, streamDataIds, type DataIdRow, type QueryDataIdsOptions } from './data-id-query.js';
import type { AnySelect, DatasetQueryHook } from './datasets-query.js';
import { prepareDatasetWhereHook, prepareRecordWhereHook, type DatasetWhereOptions, type RecordWhereOptions } from './where/where-hooks.js';

/**
 * The dataset registry: dimensions, collections, dataset types and datasets in SQLite or
 * PostgreSQL. Every mutating method runs in one write transaction (or joins the one opened by
 * {@link Registry.transaction}).
 */
export class Registry {
  private constructor(
    private readonly handle: DatabaseHandle,
    private readonly ctx: RegistryContext,
    private readonly inTransaction: boolean,
  ) {}

  /** Creates the schema in an empty database and opens it. */
  static async create(options: OpenDatabaseOptions, universe = DimensionUniverse.loadDefault()): Promise<Registry> {
    const handle = await openDatabase({ ...options, create: true });
    try {
      await withWriteTransaction(handle.db, handle.traits, async (trx) => {
        await createSchema(trx, handle.traits, universe, handle.namespace);
        await writeSchemaAttributes(trx, universe);
      });
    } catch (err) {
      await handle.close();
      throw err;
    }
    return new Registry(handle, { db: handle.db, traits: handle.traits, universe, caches: makeCaches() }, false);
  }

  /** Opens an existing registry, checking its schema version. */
  static async open(options: OpenDatabaseOptions, universe = DimensionUniverse.loadDefault()): Promise<Registry> {
    const handle = await openDatabase({ ...options, create: false });
    try {
      await checkSchemaAttributes(handle.db, universe, handle.displayUrl);
    } catch (err) {
      await handle.close();
      throw err;
    }
    return new Registry(handle, { db: handle.db, traits: handle.traits, universe, caches: makeCaches() }, false);
  }

  get universe(): DimensionUniverse {
    return this.ctx.universe;
  }

  /** `sqlite` or `postgresql`. */
  get dialect(): 'sqlite' | 'postgresql' {
    return this.handle.traits.name;
  }

  /** The database URL without password. */
  get displayUrl(): string {
    return this.handle.displayUrl;
  }

  /** The context for managers (used by higher layers' query compilers). */
  get context(): RegistryContext {
    return this.ctx;
  }

  async close(): Promise<void> {
    if (!this.inTransaction) await this.handle.close();
  }

  /** Runs `fn` with a registry whose every call is part of one transaction. */
  async transaction<T>(fn: (registry: Registry) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    try {
      return await withWriteTransaction(this.ctx.db, this.ctx.traits, (trx) =>
        fn(new Registry(this.handle, { ...this.ctx, db: trx }, true)),
      );
    } catch (err) {
      // Rolled back: cached rows created inside may not exist.
      this.ctx.caches.datasetTypes.clear();
      forgetCollections(this.ctx);
      throw err;
    }
  }

  private write<T>(fn: (ctx: RegistryContext) => Promise<T>): Promise<T> {
    return this.transaction((r) => fn(r.ctx));
  }

  registerDatasetType(def: DatasetTypeDefinition): Promise<{ datasetType: StoredDatasetType; created: boolean }> {
    return this.write((ctx) => registerDatasetType(ctx, def));
  }
  getDatasetType(name: string): Promise<StoredDatasetType> {
    return getDatasetType(this.ctx, name);
  }
  queryDatasetTypes(patterns: readonly string[] = []): Promise<StoredDatasetType[]> {
    return listDatasetTypes(this.ctx, patterns);
  }
  removeDatasetType(name: string): Promise<void> {
    return this.write((ctx) => removeDatasetType(ctx, name));
  }

  registerRun(name: string, doc?: string): Promise<{ record: CollectionRecord; created: boolean }> {
    return this.write((ctx) => registerCollection(ctx, { name, type: 'RUN', ...(doc ? { doc } : {}) }));
  }
  registerCollection(name: string, type: CollectionType, doc?: string): Promise<{ record: CollectionRecord; created: boolean }> {
    return this.write((ctx) => registerCollection(ctx, { name, type, ...(doc ? { doc } : {}) }));
  }
  findCollection(name: string): Promise<CollectionRecord | undefined> {
    return findCollection(this.ctx, name);
  }
  getCollection(name: string, expected?: CollectionType): Promise<CollectionRecord> {
    return getCollection(this.ctx, name, expected);
  }
  queryCollections(options: { patterns?: readonly string[]; types?: readonly CollectionType[] } = {}): Promise<CollectionRecord[]> {
    return listCollections(this.ctx, options);
  }
  async getCollectionChain(parent: string): Promise<string[]> {
    return (await getChildren(this.ctx, await getCollection(this.ctx, parent, 'CHAINED'))).map((c) => c.name);
  }
  async getCollectionParents(child: string): Promise<string[]> {
    return (await getParents(this.ctx, await getCollection(this.ctx, child))).map((c) => c.name);
  }
  setCollectionChain(parent: string, children: readonly string[]): Promise<void> {
    return this.write((ctx) => setChain(ctx, parent, children));
  }
  async flattenCollections(names: readonly string[]): Promise<string[]> {
    return (await flattenCollections(this.ctx, names)).map((c) => c.name);
  }

  insertDimensionRecords(element: string, records: readonly DimensionRecord[], mode: RecordConflictMode = 'insert'): Promise<number> {
    return this.write((ctx) => insertDimensionRecords(ctx, element, records, mode));
  }
  queryDimensionRecords(options: QueryDimensionRecordsOptions): Promise<Record<string, unknown>[]> {
    return queryDimensionRecords(this.ctx, options);
  }
  expandDataId(dimensions: readonly string[], dataId: Readonly<Record<string, unknown>>): ReturnType<typeof expandDataId> {
    return expandDataId(this.ctx, dimensions, dataId);
  }
  /** Adds rows to the materialised overlap table of `a` and `b`; existing rows are kept. Returns the number added. */
  insertOverlaps(a: string, b: string, rows: readonly OverlapRow[]): Promise<number> {
    return this.write((ctx) => insertOverlaps(ctx, a, b, rows));
  }

  /**
   * Data IDs over `dimensions` matching a where-clause, data-ID values and dataset existence,
   * as one SQL query (see {@link QueryDataIdsOptions}).
   */
  queryDataIds(options: QueryDataIdsOptions): Promise<DataIdRow[]> {
    return queryDataIds(this.ctx, options);
  }
  /** Like {@link Registry.queryDataIds}, in keyset-paginated batches ordered by the required dimensions. */
  streamDataIds(options: QueryDataIdsOptions, batchSize?: number): AsyncGenerator<DataIdRow[]> {
    return streamDataIds(this.ctx, options, batchSize);
  }
  /** The SQL and parameters of a data-ID query, without running it. */
  compileDataIdQuery(options: QueryDataIdsOptions): Promise<CompiledQuery> {
    return compileDataIdQuery(this.ctx, options);
  }
  /** Compiles a where-clause into the `where` hook of {@link Registry.queryDatasets} (undefined when blank). */
  buildDatasetWhere(options: DatasetWhereOptions): Promise<DatasetQueryHook | undefined> {
    return prepareDatasetWhereHook(this.ctx, options);
  }
  /** Compiles a where-clause into the `where` hook of {@link Registry.queryDimensionRecords} (undefined when blank). */
  buildRecordWhere(options: RecordWhereOptions): Promise<((query: AnySelect) => AnySelect) | undefined> {
    return prepareRecordWhereHook(this.ctx, options);
  }

  insertDatasets(options: InsertDatasetsOptions): Promise<DatasetRef[]> {
    return this.write((ctx) => insertDatasets(ctx, options));
  }
  findDatasets(options: FindDatasetsOptions): Promise<(DatasetRef | undefined)[]> {
    return findDatasets(this.ctx, options);
  }
  async findDataset(datasetType: string, dataId: Readonly<Record<string, unknown>>, collections: readonly string[], timespan?: Timespan): Promise<DatasetRef | undefined> {
    const [ref] = await findDatasets(this.ctx, { datasetType, collections, dataIds: [dataId], ...(timespan ? { timespans: [timespan] } : {}) });
    return ref;
  }
  queryDatasets(options: QueryDatasetsOptions): Promise<DatasetRef[]> {
    return queryDatasets(this.ctx, options);
  }
  associate(collection: string, refs: readonly DatasetRef[]): Promise<void> {
    return this.write((ctx) => associateDatasets(ctx, collection, refs));
  }
  disassociate(collection: string, refs: readonly DatasetRef[]): Promise<void> {
    return this.write((ctx) => disassociateDatasets(ctx, collection, refs));
  }
  certify(collection: string, refs: readonly DatasetRef[], timespan: Timespan): Promise<void> {
    return this.write((ctx) => certifyDatasets(ctx, collection, refs, timespan));
  }
  /** Certifications of a CALIBRATION collection (dataset id and validity range). */
  getCertifications(collection: string): Promise<{ datasetId: string; timespan: Timespan }[]> {
    return listCertifications(this.ctx, collection);
  }
  /** Datasets by id (unknown ids are absent from the map). */
  getDatasets(ids: readonly string[]): Promise<Map<string, DatasetRef>> {
    return getDatasetsById(this.ctx, ids);
  }

  insertDatastoreRecords(records: readonly StoredFileRecord[]): Promise<void> {
    return this.write((ctx) => insertDatastoreRecords(ctx, records));
  }
  getDatastoreRecords(ids: readonly string[]): Promise<Map<string, StoredFileRecord>> {
    return getDatastoreRecords(this.ctx, ids);
  }
  removeDatastoreRecords(ids: readonly string[]): Promise<void> {
    return this.write((ctx) => removeDatastoreRecords(ctx, ids));
  }

  /** Records (or replaces) the provenance of quanta. */
  recordProvenance(records: readonly QuantumProvenance[]): Promise<void> {
    return this.write((ctx) => recordProvenance(ctx, records));
  }
  /** Provenance of quanta by id, run, status, or a dataset they generated or used. */
  queryProvenance(options: { quantumIds?: readonly string[]; run?: string; statuses?: readonly QuantumStatus[]; generating?: string; using?: string }): Promise<QuantumProvenance[]> {
    return queryProvenance(this.ctx, options);
  }

  /** Deletes datasets by id; returns the datastore paths the caller must remove. */
  removeDatasets(ids: readonly string[]): Promise<RemovedArtifact[]> {
    return this.write((ctx) => deleteDatasets(ctx, ids));
  }

  /**
   * Deletes RUN collections with all their datasets, unlinking them from parent chains.
   * Returns the datastore paths the caller must remove.
   */
  removeRuns(names: readonly string[]): Promise<RemovedArtifact[]> {
    return this.write(async (ctx) => {
      const artifacts: RemovedArtifact[] = [];
      for (const name of names) {
        const run = await getCollection(ctx, name, 'RUN');
        artifacts.push(...(await deleteDatasets(ctx, await datasetIdsInRun(ctx, run.id))));
        await this.unlinkAndDelete(ctx, run);
      }
      return artifacts;
    });
  }

  /** Deletes non-RUN collections; refuses one that a chain still lists unless `unlink`. */
  removeCollections(names: readonly string[], options: { unlink?: boolean } = {}): Promise<void> {
    return this.write(async (ctx) => {
      for (const name of names) {
        const collection = await getCollection(ctx, name);
        if (collection.type === 'RUN') {
          throw new InvalidInputError(`"${name}" is a RUN collection.`, { hint: 'Remove runs with `butler-ts remove-runs`, which also deletes their datasets.' });
        }
        const parents = await getParents(ctx, collection);
        if (parents.length > 0 && !options.unlink) {
          throw new InvalidInputError(`Collection "${name}" is a child of chain(s) ${parents.map((p) => `"${p.name}"`).join(', ')}.`, {
            hint: 'Remove it from those chains first (collection-chain --mode remove), or pass --unlink.',
          });
        }
        await this.unlinkAndDelete(ctx, collection);
      }
    });
  }

  private async unlinkAndDelete(ctx: RegistryContext, collection: CollectionRecord): Promise<void> {
    for (const parent of await getParents(ctx, collection)) {
      const children = (await getChildren(ctx, parent)).filter((c) => c.id !== collection.id).map((c) => c.name);
      await setChain(ctx, parent.name, children);
    }
    await ctx.db.deleteFrom('collection').where('collection_id', '=', collection.id).execute();
    forgetCollections(ctx);
  }
}
