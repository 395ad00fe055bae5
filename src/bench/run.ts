import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatTable } from '../util/index.js';
import { peakRssMiB, type BenchResult } from './measure.js';
import { benchLocalSite } from './bps-bench.js';
import { benchCluster } from './cluster-bench.js';
import { benchQgRun } from './exec-bench.js';
import { benchGraph } from './graph-bench.js';
import { benchRegistry } from './registry-bench.js';
import { benchPilot } from './pilot-bench.js';
import { benchSlurm } from './slurm-bench.js';
import { benchWhereCompile } from './where-bench.js';

/** A named group of benchmarks; `only` on the command line selects groups by name. */
interface BenchGroup {
  readonly name: string;
  run(pgUrl: string | undefined): Promise<BenchResult[]>;
}

const groups: BenchGroup[] = [
  { name: 'cluster', run: () => benchCluster() },
  { name: 'exec', run: () => benchQgRun() },
  { name: 'bps', run: () => benchLocalSite() },
  {
    name: 'graph',
    run: async (pgUrl) => [...(await benchGraph('sqlite')), ...(pgUrl ? await benchGraph('postgresql', pgUrl) : [])],
  },
  // Needs SLURM_CONF (skipped with a message otherwise); about 15 minutes on the one-node dev cluster.
  { name: 'slurm', run: () => benchSlurm() },
  // Needs SLURM_CONF: 10,000 single-quantum jobs through one pilot block, and 200 through the Slurm site.
  { name: 'pilot', run: () => benchPilot() },
  {
    name: 'where',
    run: async () => (await benchWhereCompile()).map((r) => ({ name: r.name, backend: 'sqlite', value: r.ms, unit: 'ms', lowerIsBetter: true })),
  },
  {
    name: 'registry',
    run: async (pgUrl) => [...(await benchRegistry('sqlite')), ...(pgUrl ? await benchRegistry('postgresql', pgUrl) : [])],
  },
];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const pgUrl = process.env['BPS_BENCH_PG_URL'] ?? process.env['BPS_TEST_PG_URL'];
  if (!pgUrl) process.stderr.write('PostgreSQL benchmarks skipped: set BPS_BENCH_PG_URL (or BPS_TEST_PG_URL)\n');
  const results: BenchResult[] = [];
  for (const group of groups.filter((g) => only.length === 0 || only.includes(g.name))) {
    process.stderr.write(`running ${group.name} benchmarks...\n`);
    results.push(...(await group.run(pgUrl)));
  }
  const rows = results.map((r) => [
    r.name,
    r.backend,
    `${r.value.toFixed(r.value < 10 ? 3 : 1)} ${r.unit}`,
    r.target === undefined ? '' : `${r.lowerIsBetter === false ? '>=' : '<='} ${r.target} ${r.unit}`,
    r.target === undefined ? '' : (r.lowerIsBetter === false ? r.value >= r.target : r.value <= r.target) ? 'yes' : 'NO',
    r.note ?? '',
  ]);
  process.stdout.write(`${formatTable(['benchmark', 'backend', 'result', 'target', 'met', 'note'], rows)}\n`);
  const dir = join(process.cwd(), '.bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'results.json');
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, peakRssMiB: peakRssMiB(), results }, null, 2)}\n`);
  process.stdout.write(`wrote ${file}\n`);
}

await main();
