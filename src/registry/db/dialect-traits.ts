import type { ColumnDefinitionBuilder } from 'kysely';

/** What differs between the databases the registry runs on, as data rather than `if`s. */
export interface DialectTraits {
  readonly name: 'sqlite' | 'postgresql';
  /** Statement that opens a transaction which will write (takes the write lock up front on SQLite). */
  readonly beginWrite: string;
  /** Column type of an auto-incremented integer primary key. */
  readonly autoIdType: 'integer' | 'serial';
  /** Marks an auto-increment primary key column. */
  autoId(col: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  /** Largest number of bound parameters in one statement. */
  readonly maxParameters: number;
  /**
   * Whether a select can be read row by row as it is consumed (better-sqlite3 iterates its
   * statement; node-postgres would need pg-cursor, which is not used).
   */
  readonly streamsSelects: boolean;
  /** Whether a thrown driver error is a unique or primary-key violation. */
  isUniqueViolation(err: unknown): boolean;
  /** Whether a thrown driver error means the database is busy or locked (retryable). */
  isBusy(err: unknown): boolean;
}

function errorCode(err: unknown): string {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
}

/** Traits of SQLite through better-sqlite3. */
export const sqliteTraits: DialectTraits = {
  name: 'sqlite',
  beginWrite: 'begin immediate',
  autoIdType: 'integer',
  autoId: (col) => col.primaryKey().autoIncrement(),
  maxParameters: 30_000,
  streamsSelects: true,
  isUniqueViolation: (err) => /^SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)$/.test(errorCode(err)),
  isBusy: (err) => /^SQLITE_(BUSY|LOCKED)/.test(errorCode(err)),
};

/** Traits of PostgreSQL through node-postgres. */
export const postgresTraits: DialectTraits = {
  name: 'postgresql',
  beginWrite: 'begin',
  autoIdType: 'serial',
  autoId: (col) => col.primaryKey(),
  maxParameters: 60_000,
  streamsSelects: false,
  isUniqueViolation: (err) => errorCode(err) === '23505',
  isBusy: (err) => errorCode(err) === '40001' || errorCode(err) === '40P01',
};
