import { existsSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { DatabaseError, InvalidInputError } from '../../errors/index.js';
import { postgresTraits, sqliteTraits, type DialectTraits } from './dialect-traits.js';

// The schema is data-driven (the dimension universe), so queries are typed loosely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Db = Kysely<any>;

/** An open registry database. */
export interface DatabaseHandle {
  readonly db: Db;
  readonly traits: DialectTraits;
  /** URL without password, for messages. */
  readonly displayUrl: string;
  /** PostgreSQL schema of the registry; undefined on SQLite. */
  readonly namespace: string | undefined;
  close(): Promise<void>;
}

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** `sqlite:/abs/path.sqlite3`, a plain file path, or `postgresql://user@host:port/db`. */
  url: string;
  /** PostgreSQL schema holding this repository's tables (created when `create` is set). */
  namespace?: string;
  /** Create the SQLite file / PostgreSQL schema if missing. */
  create?: boolean;
}

const NAMESPACE_RE = /^[a-z_][a-z0-9_]{0,62}$/;

/** Opens a SQLite file or a PostgreSQL database for the registry. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (/^postgres(ql)?:\/\//.test(options.url)) return openPostgres(options);
  return openSqlite(options);
}

function openSqlite(options: OpenDatabaseOptions): DatabaseHandle {
  const file = options.url.replace(/^sqlite:(\/\/)?/, '');
  if (!options.create && !existsSync(file)) {
    throw new DatabaseError(`Registry database "${file}" does not exist.`, {
      hint: 'Create the repository first with `butler-ts create REPO`.',
    });
  }
  let database: SQLite.Database;
  try {
    database = new SQLite(file);
    database.pragma('journal_mode = WAL');
    database.pragma('busy_timeout = 60000');
    database.pragma('foreign_keys = ON');
    database.pragma('synchronous = NORMAL');
  } catch (err) {
    throw new DatabaseError(`Cannot open SQLite registry "${file}": ${(err as Error).message}`, { cause: err });
  }
  const db: Db = new Kysely({ dialect: new SqliteDialect({ database }) });
  const close = async (): Promise<void> => {
    // Refreshes the planner's statistics where bulk inserts changed them (cheap; SQLite's advice at close).
    if (database.open) database.pragma('optimize');
    await db.destroy();
  };
  return { db, traits: sqliteTraits, displayUrl: `sqlite:${file}`, namespace: undefined, close };
}

async function openPostgres(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const namespace = options.namespace ?? 'public';
  if (!NAMESPACE_RE.test(namespace)) {
    throw new InvalidInputError(`PostgreSQL namespace "${namespace}" is not a plain lower-case identifier.`, {
      hint: 'Use letters, digits and underscores, starting with a letter, e.g. --namespace survey_2026.',
    });
  }
  const displayUrl = options.url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format),
  };
  const pool = new pg.Pool({ connectionString: options.url, max: 4, options: `-c search_path=${namespace}`, types });
  const db: Db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  try {
    if (options.create) await sql.raw(`create schema if not exists ${namespace}`).execute(db);
    await sql`select 1`.execute(db);
  } catch (err) {
    await db.destroy();
    throw new DatabaseError(`Cannot connect to PostgreSQL registry ${displayUrl}: ${(err as Error).message}`, {
      cause: err,
      hint: 'Check that the server runs and the URL (user, host, port, database) is right.',
    });
  }
  return { db, traits: postgresTraits, displayUrl: `${displayUrl} (namespace ${namespace})`, namespace, close: () => db.destroy() };
}
