import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { Registry } from '../../src/registry/index.js';
import { projectRoot } from '../support/cli.js';

describe('two processes writing one SQLite registry', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bps-conc-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('both succeed or fail cleanly, and the database stays consistent', async () => {
    const file = join(dir, 'registry.sqlite3');
    const registry = await Registry.create({ url: file });
    await registry.insertDimensionRecords('instrument', [{ name: 'HSC' }]);
    await registry.insertDimensionRecords('band', [{ name: 'r' }]);
    await registry.insertDimensionRecords('physical_filter', [{ instrument: 'HSC', name: 'HSC-R', band: 'r' }]);
    await registry.insertDimensionRecords('detector', [0, 1, 2, 3].map((id) => ({ instrument: 'HSC', id })));
    await registry.insertDimensionRecords('day_obs', [{ instrument: 'HSC', id: 1 }]);
    await registry.insertDimensionRecords('visit', Array.from({ length: 300 }, (_, i) => ({ instrument: 'HSC', id: i, physical_filter: 'HSC-R', day_obs: 1 })));
    await registry.registerDatasetType({ name: 'calexp', dimensions: ['visit', 'detector'], storageClass: 'ExposureF' });
    await registry.close();

    const writer = join(projectRoot, 'test/fixtures/concurrent-writer.mjs');
    // Two writers on distinct runs, and two on the same run with overlapping visits.
    const runs = await Promise.all([
      execa('node', [writer, file, 'run/a', '0', '150']),
      execa('node', [writer, file, 'run/b', '0', '150']),
      execa('node', [writer, file, 'run/shared', '0', '100']),
      execa('node', [writer, file, 'run/shared', '50', '100']),
    ]);
    const results = runs.map((r) => JSON.parse(String(r.stdout)) as { inserted: number; conflicts: number });
    expect(results[0]).toEqual({ inserted: 600, conflicts: 0 });
    expect(results[1]).toEqual({ inserted: 600, conflicts: 0 });
    // Visits 50..99 were attempted by both shared writers: each went to exactly one of them.
    expect(results[2]!.inserted + results[3]!.inserted).toBe(150 * 4);
    expect(results[2]!.conflicts + results[3]!.conflicts).toBe(50);

    const db = new Database(file, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const counts = db.prepare('select c.name as run, count(*) as n from dataset d join collection c on c.collection_id = d.run_id group by c.name order by c.name').all();
    db.close();
    expect(counts).toEqual([
      { run: 'run/a', n: 600 },
      { run: 'run/b', n: 600 },
      { run: 'run/shared', n: 600 },
    ]);
  });
});
