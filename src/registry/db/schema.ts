import type { CreateTableBuilder } from 'kysely';
import { DatabaseError } from '../../errors/index.js';
import type { DimensionUniverse, FieldSpec } from '../universe.js';
import type { Db } from './connect.js';
import type { DialectTraits } from './dialect-traits.js';

/** Version of the fixed part of the schema; the universe carries its own version. */
export const SCHEMA_VERSION = 1;

/** Name of the table holding records of dimension element `element`. */
export function elementTable(element: string): string {
  return `dim_${element}`;
}

/** Name of the materialised overlap table between two elements. */
export function overlapTable(a: string, b: string): string {
  return `overlap_${a}__${b}`;
}

function columnType(field: FieldSpec): 'bigint' | 'double precision' | 'text' | `varchar(${number})` {
  if (field.type === 'int') return 'bigint';
  if (field.type === 'float') return 'double precision';
  return field.length ? `varchar(${field.length})` : 'text';
}

/** Column type of dimension `name`'s key. */
export function dimensionColumnType(universe: DimensionUniverse, name: string): ReturnType<typeof columnType> {
  return columnType(universe.getDimension(name).key);
}

/** Creates every table of an empty registry in one transaction-safe sequence. */
export async function createSchema(db: Db, traits: DialectTraits, universe: DimensionUniverse, namespace?: string): Promise<void> {
  const existing = await db.introspection.getTables();
  if (existing.some((t) => t.name === 'butler_attributes' && (namespace === undefined || t.schema === namespace))) {
    throw new DatabaseError('A registry already exists in this database.', {
      hint: 'Open it instead, or choose another database file or PostgreSQL namespace (--namespace).',
    });
  }
  const t = (name: string): CreateTableBuilder<string, never> => db.schema.createTable(name);
  await t('butler_attributes').addColumn('name', 'varchar(64)', (c) => c.primaryKey()).addColumn('value', 'text', (c) => c.notNull()).execute();
  await t('collection')
    .addColumn('collection_id', traits.autoIdType, (c) => traits.autoId(c))
    .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('type', 'varchar(16)', (c) => c.notNull())
    .addColumn('doc', 'text')
    .execute();
  await t('run')
    .addColumn('collection_id', 'integer', (c) => c.primaryKey().references('collection.collection_id').onDelete('cascade'))
    .addColumn('host', 'varchar(255)')
    .addColumn('timespan_begin', 'bigint')
    .addColumn('timespan_end', 'bigint')
    .execute();
  await t('collection_chain')
    .addColumn('parent_id', 'integer', (c) => c.notNull().references('collection.collection_id').onDelete('cascade'))
    .addColumn('child_id', 'integer', (c) => c.notNull().references('collection.collection_id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('collection_chain_pk', ['parent_id', 'position'])
    .execute();
  await db.schema.createIndex('collection_chain_child').on('collection_chain').column('child_id').execute();
  await t('dataset_type')
    .addColumn('dataset_type_id', traits.autoIdType, (c) => traits.autoId(c))
    .addColumn('name', 'varchar(128)', (c) => c.notNull().unique())
    .addColumn('dimensions', 'text', (c) => c.notNull())
    .addColumn('storage_class', 'varchar(64)', (c) => c.notNull())
    .addColumn('is_calibration', 'integer', (c) => c.notNull())
    .execute();
  let dataset = t('dataset')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('dataset_type_id', 'integer', (c) => c.notNull().references('dataset_type.dataset_type_id'))
    .addColumn('run_id', 'integer', (c) => c.notNull().references('collection.collection_id'))
    .addColumn('data_id_key', 'text', (c) => c.notNull())
    .addColumn('ingest_date', 'bigint', (c) => c.notNull());
  for (const d of universe.dimensionNames) dataset = dataset.addColumn(d, dimensionColumnType(universe, d));
  await dataset.addUniqueConstraint('dataset_unique', ['dataset_type_id', 'run_id', 'data_id_key']).execute();
  await db.schema.createIndex('dataset_run').on('dataset').column('run_id').execute();
  await t('dataset_tag')
    .addColumn('collection_id', 'integer', (c) => c.notNull().references('collection.collection_id').onDelete('cascade'))
    .addColumn('dataset_id', 'varchar(36)', (c) => c.notNull().references('dataset.id').onDelete('cascade'))
    .addColumn('dataset_type_id', 'integer', (c) => c.notNull())
    .addColumn('data_id_key', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('dataset_tag_pk', ['collection_id', 'dataset_type_id', 'data_id_key'])
    .execute();
  await db.schema.createIndex('dataset_tag_dataset').on('dataset_tag').column('dataset_id').execute();
  await t('dataset_calib')
    .addColumn('calib_id', traits.autoIdType, (c) => traits.autoId(c))
    .addColumn('collection_id', 'integer', (c) => c.notNull().references('collection.collection_id').onDelete('cascade'))
    .addColumn('dataset_id', 'varchar(36)', (c) => c.notNull().references('dataset.id').onDelete('cascade'))
    .addColumn('dataset_type_id', 'integer', (c) => c.notNull())
    .addColumn('data_id_key', 'text', (c) => c.notNull())
    .addColumn('validity_begin', 'bigint')
    .addColumn('validity_end', 'bigint')
    .execute();
  await db.schema.createIndex('dataset_calib_lookup').on('dataset_calib').columns(['collection_id', 'dataset_type_id', 'data_id_key']).execute();
  await db.schema.createIndex('dataset_calib_dataset').on('dataset_calib').column('dataset_id').execute();
  await t('datastore_record')
    .addColumn('dataset_id', 'varchar(36)', (c) => c.primaryKey().references('dataset.id').onDelete('cascade'))
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('formatter', 'varchar(128)', (c) => c.notNull())
    .addColumn('storage_class', 'varchar(64)', (c) => c.notNull())
    .addColumn('file_size', 'bigint')
    .addColumn('checksum', 'varchar(128)')
    .execute();
  await t('collection_summary_dataset_type')
    .addColumn('collection_id', 'integer', (c) => c.notNull().references('collection.collection_id').onDelete('cascade'))
    .addColumn('dataset_type_id', 'integer', (c) => c.notNull().references('dataset_type.dataset_type_id').onDelete('cascade'))
    .addPrimaryKeyConstraint('summary_dt_pk', ['collection_id', 'dataset_type_id'])
    .execute();
  await t('collection_summary_governor')
    .addColumn('collection_id', 'integer', (c) => c.notNull().references('collection.collection_id').onDelete('cascade'))
    .addColumn('governor', 'varchar(32)', (c) => c.notNull())
    .addColumn('value', 'varchar(64)', (c) => c.notNull())
    .addPrimaryKeyConstraint('summary_gov_pk', ['collection_id', 'governor', 'value'])
    .execute();
  await createDimensionTables(db, universe);
  await createProvenanceTables(db);
}

async function createProvenanceTables(db: Db): Promise<void> {
  await db.schema
    .createTable('quantum_provenance')
    .addColumn('quantum_id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('run_id', 'integer', (c) => c.notNull().references('collection.collection_id').onDelete('cascade'))
    .addColumn('task_label', 'varchar(128)', (c) => c.notNull())
    .addColumn('task_class', 'varchar(255)', (c) => c.notNull())
    .addColumn('data_id', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('config_hash', 'varchar(64)')
    .addColumn('software', 'varchar(255)')
    .addColumn('host', 'varchar(255)')
    .addColumn('start_time', 'bigint')
    .addColumn('end_time', 'bigint')
    .addColumn('cpu_time_s', 'double precision')
    .addColumn('peak_rss_mib', 'double precision')
    .addColumn('exit_code', 'integer')
    .addColumn('error', 'text')
    .addColumn('log_path', 'text')
    .execute();
  await db.schema.createIndex('quantum_provenance_run').on('quantum_provenance').columns(['run_id', 'status']).execute();
  await db.schema
    .createTable('dataset_provenance')
    .addColumn('quantum_id', 'varchar(36)', (c) => c.notNull().references('quantum_provenance.quantum_id').onDelete('cascade'))
    .addColumn('dataset_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('role', 'varchar(12)', (c) => c.notNull())
    .addColumn('connection', 'varchar(64)', (c) => c.notNull())
    .addPrimaryKeyConstraint('dataset_provenance_pk', ['quantum_id', 'dataset_id', 'role'])
    .execute();
  await db.schema.createIndex('dataset_provenance_dataset').on('dataset_provenance').columns(['dataset_id', 'role']).execute();
}

async function createDimensionTables(db: Db, universe: DimensionUniverse): Promise<void> {
  for (const element of universe.elements.values()) {
    let table = db.schema.createTable(elementTable(element.name));
    const keyColumns = element.required.length > 0 ? [...element.required] : [];
    if (!element.key) {
      for (const r of element.requires) for (const d of universe.getElement(r).required) if (!keyColumns.includes(d)) keyColumns.push(d);
    }
    for (const d of keyColumns) table = table.addColumn(d, dimensionColumnType(universe, d), (c) => c.notNull());
    for (const d of element.impliedColumns) table = table.addColumn(d, dimensionColumnType(universe, d));
    for (const m of element.metadata) table = table.addColumn(m.name, columnType(m));
    if (element.timespan) table = table.addColumn('timespan_begin', 'bigint').addColumn('timespan_end', 'bigint');
    if (element.region) table = table.addColumn('region', 'text');
    await table.addPrimaryKeyConstraint(`${elementTable(element.name)}_pk`, keyColumns as never[]).execute();
  }
  for (const [a, b] of universe.overlaps) {
    const columns = overlapColumns(universe, a, b);
    let table = db.schema.createTable(overlapTable(a, b));
    for (const d of columns) table = table.addColumn(d, dimensionColumnType(universe, d), (c) => c.notNull());
    await table.addPrimaryKeyConstraint(`${overlapTable(a, b)}_pk`, columns as never[]).execute();
  }
}

/** Key columns of the elements' table (required dimensions, for join elements of their parts). */
export function elementKeyColumns(universe: DimensionUniverse, name: string): string[] {
  const element = universe.getElement(name);
  if (element.key) return [...element.required];
  const cols: string[] = [];
  for (const r of element.requires) for (const d of universe.getElement(r).required) if (!cols.includes(d)) cols.push(d);
  return universe.dimensionNames.filter((d) => cols.includes(d));
}

/** Key columns of an overlap table: the union of both elements' keys. */
export function overlapColumns(universe: DimensionUniverse, a: string, b: string): string[] {
  const cols = new Set([...elementKeyColumns(universe, a), ...elementKeyColumns(universe, b)]);
  return universe.dimensionNames.filter((d) => cols.has(d));
}

/** Writes the schema and universe versions; checked when a registry is opened. */
export async function writeSchemaAttributes(db: Db, universe: DimensionUniverse): Promise<void> {
  await db.insertInto('butler_attributes').values([
    { name: 'schema_version', value: String(SCHEMA_VERSION) },
    { name: 'universe', value: `${universe.namespace}:${universe.version}` },
  ]).execute();
}

/** Fails with a clear message when the database was made by an incompatible version. */
export async function checkSchemaAttributes(db: Db, universe: DimensionUniverse, displayUrl: string): Promise<void> {
  let rows: { name: string; value: string }[];
  try {
    rows = await db.selectFrom('butler_attributes').select(['name', 'value']).execute();
  } catch (err) {
    throw new DatabaseError(`${displayUrl} holds no bps-ts registry.`, { cause: err, hint: 'Create one with `butler-ts create REPO`.' });
  }
  const attrs = new Map(rows.map((r) => [r.name, r.value]));
  const want = `${universe.namespace}:${universe.version}`;
  if (attrs.get('schema_version') !== String(SCHEMA_VERSION) || attrs.get('universe') !== want) {
    throw new DatabaseError(
      `Registry ${displayUrl} has schema ${attrs.get('schema_version') ?? '?'} / universe ${attrs.get('universe') ?? '?'}, but this bps-ts needs schema ${SCHEMA_VERSION} / universe ${want}.`,
      { hint: 'Use the bps-ts version that created it, or export and import the data into a new repository.' },
    );
  }
}
