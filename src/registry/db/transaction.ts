import { sql } from 'kysely';
import type { Db } from './connect.js';
import type { DialectTraits } from './dialect-traits.js';

/**
 * Runs `fn` in a write transaction on one connection: all of it commits or none of it does.
 * On SQLite the write lock is taken at the start (`BEGIN IMMEDIATE`), so two writing processes
 * queue on the busy timeout instead of failing half-way.
 */
export async function withWriteTransaction<T>(db: Db, traits: DialectTraits, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql.raw(traits.beginWrite).execute(conn);
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (err) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw err;
    }
  });
}
