/**
 * The dataset registry: dimension universe, data IDs, collections, dataset types, datasets and
 * datastore records, on SQLite or PostgreSQL through one kysely code path.
 * @packageDocumentation
 */
export { Registry } from './registry.js';
export { DimensionUniverse, DimensionGroup } from './universe.js';
export type { DimensionElement, FieldSpec, FieldType } from './universe.js';
export { COLLECTION_TYPES } from './context.js';
export type { CollectionRecord, CollectionType, RegistryContext, StoredDatasetType } from './context.js';
export { coerceDimensionValue, dataIdKey, formatDataId, normalizeDataId, parseDataIdText, subsetDataId } from './data-id.js';
export type { DataId, DataIdValue } from './data-id.js';
export { formatTimespan, timespansOverlap } from './dataset-ref.js';
export type { DatasetRef, Timespan } from './dataset-ref.js';
export { describeDatasetType } from './dataset-types.js';
export type { DatasetTypeDefinition } from './dataset-types.js';
export type { FindDatasetsOptions } from './datasets-find.js';
export type { InsertDatasetsOptions } from './datasets-insert.js';
export type { AnySelect, DatasetQueryHook, QueryDatasetsOptions } from './datasets-query.js';
export type { RemovedArtifact } from './datasets-remove.js';
export type { StoredFileRecord } from './datastore-records.js';
export type { QueryDimensionRecordsOptions, ExpandedDataId } from './dimension-query.js';
export type { DimensionRecord, RecordConflictMode } from './dimension-records.js';
export type { OpenDatabaseOptions } from './db/connect.js';
export { elementTable, elementKeyColumns, overlapTable, overlapColumns } from './db/schema.js';
export { closestName, globToRegExp } from './names.js';
