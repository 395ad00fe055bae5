import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry, type OpenDatabaseOptions } from '../registry/index.js';
import { timeIt, type BenchResult } from './measure.js';

const DETECTORS = 100;

async function populate(registry: Registry, visits: number): Promise<void> {
  await registry.insertDimensionRecords('instrument', [{ name: 'Bench' }]);
  await registry.insertDimensionRecords('band', [{ name: 'r' }]);
  await registry.insertDimensionRecords('physical_filter', [{ instrument: 'Bench', name: 'R', band: 'r' }]);
  await registry.insertDimensionRecords('day_obs', [{ instrument: 'Bench', id: 20260101 }]);
  await registry.insertDimensionRecords('detector', Array.from({ length: DETECTORS }, (_, id) => ({ instrument: 'Bench', id })));
  await registry.insertDimensionRecords('visit', Array.from({ length: visits }, (_, id) => ({ instrument: 'Bench', id, physical_filter: 'R', day_obs: 20260101 })));
  await registry.registerDatasetType({ name: 'calexp', dimensions: ['visit', 'detector'], storageClass: 'ExposureF' });
}

function dataIds(firstVisit: number, visits: number): { instrument: string; visit: number; detector: number }[] {
  const out = [];
  for (let v = firstVisit; v < firstVisit + visits; v++) for (let d = 0; d < DETECTORS; d++) out.push({ instrument: 'Bench', visit: v, detector: d });
  return out;
}

/** Opens a fresh registry for a benchmark on one backend. */
async function freshRegistry(backend: 'sqlite' | 'postgresql', pgUrl: string | undefined, dir: string, tag: string): Promise<{ registry: Registry; drop(): Promise<void> }> {
  const options: OpenDatabaseOptions = backend === 'sqlite' ? { url: join(dir, `${tag}.sqlite3`) } : { url: pgUrl ?? '', namespace: `bench_${tag}_${process.pid}` };
  const registry = await Registry.create(options);
  return {
    registry,
    drop: async () => {
      if (backend === 'postgresql') await registry.context.db.schema.dropSchema(options.namespace ?? '').cascade().execute();
      await registry.close();
    },
  };
}

/**
 * Registry benchmarks of the foundation issue: insert 100,000 datasets; find-first lookup of
 * 10,000 data IDs through a 3-collection chain over 1,000,000 datasets.
 */
export async function benchRegistry(backend: 'sqlite' | 'postgresql', pgUrl?: string): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bps-bench-'));
  const results: BenchResult[] = [];
  try {
    const a = await freshRegistry(backend, pgUrl, dir, 'insert');
    await populate(a.registry, 1000);
    await a.registry.registerRun('bench/insert');
    const ids = dataIds(0, 1000);
    const insertMs = await timeIt(() => a.registry.insertDatasets({ datasetType: 'calexp', run: 'bench/insert', dataIds: ids }));
    results.push({ name: 'insert 100,000 datasets', backend, value: insertMs / 1000, unit: 's', ...(backend === 'sqlite' ? { target: 5 } : {}), lowerIsBetter: true });
    await a.drop();

    const b = await freshRegistry(backend, pgUrl, dir, 'lookup');
    await populate(b.registry, 10_000);
    const runs = ['bench/r1', 'bench/r2', 'bench/r3'];
    for (const [i, run] of runs.entries()) {
      await b.registry.registerRun(run);
      for (let first = i * 3334; first < Math.min((i + 1) * 3334, 10_000); first += 500) {
        await b.registry.insertDatasets({ datasetType: 'calexp', run, dataIds: dataIds(first, Math.min(500, Math.min((i + 1) * 3334, 10_000) - first)) });
      }
    }
    await b.registry.registerCollection('bench/chain', 'CHAINED');
    await b.registry.setCollectionChain('bench/chain', [...runs].reverse());
    const wanted = Array.from({ length: 10_000 }, (_, k) => ({ instrument: 'Bench', visit: (k * 7919) % 10_000, detector: (k * 31) % DETECTORS }));
    let found = 0;
    const lookupMs = await timeIt(async () => {
      const refs = await b.registry.findDatasets({ datasetType: 'calexp', collections: ['bench/chain'], dataIds: wanted });
      found = refs.filter((r) => r !== undefined).length;
    });
    results.push({ name: 'find-first 10,000 data IDs, 3-run chain, 1,000,000 datasets', backend, value: lookupMs / 1000, unit: 's', target: 1, lowerIsBetter: true, note: `${found} found` });
    await b.drop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
