import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { Registry } from '../../src/registry/index.js';

/** URL of the test PostgreSQL server (scripts/dev-postgres.sh start), or undefined. */
export const pgUrl = process.env['BPS_TEST_PG_URL'];

/** A registry database for one test: where it is and how to drop it. */
export interface TestDatabase {
  readonly backend: 'sqlite' | 'postgresql';
  /** Arguments for Registry.create/open. */
  readonly url: string;
  readonly namespace?: string;
  /** `--db URL [--namespace NS]` for CLI tests. */
  readonly cliArgs: string[];
  cleanup(): Promise<void>;
}

let counter = 0;

function uniqueName(): string {
  counter += 1;
  return `t_${process.pid}_${Date.now().toString(36)}_${counter}`;
}

/** Makes a fresh SQLite file in a temp dir. */
export function makeSqliteDatabase(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'bps-reg-'));
  const url = join(dir, 'registry.sqlite3');
  return { backend: 'sqlite', url, cliArgs: ['--db', url], cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** Makes a fresh PostgreSQL namespace (schema) on the test server. */
export function makePostgresDatabase(): TestDatabase {
  if (!pgUrl) throw new Error('BPS_TEST_PG_URL is not set');
  const namespace = uniqueName();
  return {
    backend: 'postgresql',
    url: pgUrl,
    namespace,
    cliArgs: ['--db', pgUrl, '--namespace', namespace],
    cleanup: async () => {
      const client = new pg.Client({ connectionString: pgUrl });
      await client.connect();
      await client.query(`drop schema if exists ${namespace} cascade`);
      await client.end();
    },
  };
}

/** The backends every registry test runs on: SQLite always, PostgreSQL when configured. */
export const backends: { name: 'sqlite' | 'postgresql'; make: () => TestDatabase }[] = [
  { name: 'sqlite', make: makeSqliteDatabase },
  ...(pgUrl ? [{ name: 'postgresql' as const, make: makePostgresDatabase }] : []),
];

/** Creates a registry on a fresh database; returns it and its cleanup. */
export async function makeRegistry(make: () => TestDatabase): Promise<{ registry: Registry; db: TestDatabase; dispose(): Promise<void> }> {
  const db = make();
  const registry = await Registry.create({ url: db.url, ...(db.namespace ? { namespace: db.namespace } : {}) });
  return {
    registry,
    db,
    dispose: async () => {
      await registry.close();
      await db.cleanup();
    },
  };
}

/**
 * Gives a describe block one registry on a fresh database, populated once before its tests
 * and dropped after them; `assign` receives it.
 */
export function useRegistry(make: () => TestDatabase, populate: (registry: Registry) => Promise<void>, assign: (registry: Registry) => void): void {
  let dispose: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const made = await makeRegistry(make);
    dispose = made.dispose;
    await populate(made.registry);
    assign(made.registry);
  });
  afterAll(async () => dispose?.());
}
