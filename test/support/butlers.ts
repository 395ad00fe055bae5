import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { Butler } from '../../src/butler/index.js';
import type { TestDatabase } from './backends.js';

/** A repository in a temp dir on a fresh database of the given backend. */
export async function makeButler(make: () => TestDatabase): Promise<{ butler: Butler; dir: string; repo: string; db: TestDatabase; dispose(): Promise<void> }> {
  const db = make();
  const dir = mkdtempSync(join(tmpdir(), 'bps-repo-'));
  const repo = join(dir, 'repo');
  const butler = await Butler.create(repo, db.backend === 'postgresql' ? { db: db.url, ...(db.namespace ? { namespace: db.namespace } : {}) } : {});
  return {
    butler,
    dir,
    repo,
    db,
    dispose: async () => {
      await butler.close();
      await db.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Gives each test of a describe block fresh repositories on demand: the returned function makes
 * one on a new database, and every repository made is dropped after its test.
 */
export function useFreshButlers(make: () => TestDatabase): () => Promise<Awaited<ReturnType<typeof makeButler>>> {
  let disposers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const d of disposers) await d();
    disposers = [];
  });
  return async () => {
    const b = await makeButler(make);
    disposers.push(b.dispose);
    return b;
  };
}
