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
/** A row of a materialised overlap table (`Registry.insertOverlaps`): both elements' key values. */
export type { OverlapRow } from './overlaps.js';
export type { OpenDatabaseOptions } from './db/connect.js';
export { elementTable, elementKeyColumns, overlapTable, overlapColumns } from './db/schema.js';
export { closestName, globToRegExp } from './names.js';
/**
 * Data-ID queries: `queryDataIds(ctx, options)`, `streamDataIds(ctx, options, batchSize?)`,
 * `compileDataIdQuery(ctx, options)`, `buildDataIdQuery(ctx, options)` (the kysely builder, for
 * higher layers that add to it); also methods of {@link Registry}.
 */
export { buildDataIdQuery, compileDataIdQuery, queryDataIds, streamDataIds } from './data-id-query.js';
/** Options and rows of data-ID queries. */
export type { BuiltDataIdQuery, DataIdRow, QueryDataIdsOptions } from './data-id-query.js';
/**
 * Where-clause compilation: `prepareWhereClause(options)` (parse, validate, resolve names),
 * `compileWhereTree({ tree, scope, source, dialect })` (to one kysely SQL condition),
 * `planDimensionJoin(ctx, { dimensions, elements?, aliasPrefix? })` (the join over dimension
 * tables), hooks for dataset and dimension-record queries, and `parseBindOptions(items)` for
 * `--bind name=value` command-line options.
 */
export { prepareWhereClause, listReferencedDimensions } from './where/prepare-where.js';
export type { PreparedWhere, PrepareWhereOptions, WhereReferences } from './where/prepare-where.js';
export { compileWhereTree } from './where/compile-where.js';
export type { CompileWhereOptions } from './where/compile-where.js';
export { planDimensionJoin } from './where/plan-dimension-join.js';
export type { JoinPlan, PlanDimensionJoinOptions } from './where/plan-dimension-join.js';
export { combineSources } from './where/column-source.js';
export type { ColumnSource } from './where/column-source.js';
export type { ColumnRef, DatasetField } from './where/column-ref.js';
export { DATASET_FIELDS } from './where/column-ref.js';
export { resolveIdentifier, resolveBind } from './where/resolve-identifier.js';
export type { ResolvedName } from './where/resolve-identifier.js';
export type { WhereScope } from './where/where-scope.js';
export { getWhereDialect, globToLike } from './where/where-dialect.js';
export type { WhereDialect } from './where/where-dialect.js';
export { prepareDatasetWhereHook, prepareRecordWhereHook } from './where/where-hooks.js';
export type { DatasetWhereOptions, RecordWhereOptions } from './where/where-hooks.js';
export { parseBindOptions } from './where/bind-values.js';
export type { BindScalar, BindValue, BindValues } from './where/bind-values.js';
export { QUANTUM_STATUSES } from './provenance.js';
export type { DatasetLink, QuantumProvenance, QuantumStatus } from './provenance.js';
