import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { Butler } from '../butler/index.js';
import { writeQuantumGraph } from '../graph/index.js';
import { makeNoOpGraph } from './noop-run.js';
import type { BenchResult } from './measure.js';

/**
 * 5,000 no-op quanta through `qg run -g GRAPH -j 2` (pre-exec-init, two worker processes,
 * aggregation into a SQLite registry): quanta per second and the per-quantum overhead
 * (wall time × workers / quanta).
 */
export async function benchQgRun(options: { visits?: number; detectors?: number; jobs?: number } = {}): Promise<BenchResult[]> {
  const visits = options.visits ?? 10;
  const detectors = options.detectors ?? 500;
  const jobs = options.jobs ?? 2;
  const dir = mkdtempSync(join(tmpdir(), 'bps-bench-qgrun-'));
  try {
    const repo = join(dir, 'repo');
    await (await Butler.create(repo)).close();
    const butler = await Butler.open(repo);
    await butler.registry.insertDimensionRecords('instrument', [{ name: 'Bench' }]);
    await butler.registry.insertDimensionRecords('detector', Array.from({ length: detectors }, (_, id) => ({ instrument: 'Bench', id })));
    await butler.registry.insertDimensionRecords('band', [{ name: 'r' }]);
    await butler.registry.insertDimensionRecords('physical_filter', [{ instrument: 'Bench', name: 'R', band: 'r' }]);
    await butler.registry.insertDimensionRecords('day_obs', [{ instrument: 'Bench', id: 1 }]);
    await butler.registry.insertDimensionRecords('visit', Array.from({ length: visits }, (_, id) => ({ instrument: 'Bench', id, physical_filter: 'R', day_obs: 1 })));
    await butler.close();
    const graph = makeNoOpGraph(visits, detectors, repo);
    const graphFile = join(dir, 'noop.qg');
    writeQuantumGraph(graphFile, graph);
    const qg = fileURLToPath(new URL('../cli/qg.js', import.meta.url));
    const started = performance.now();
    const result = await execa(process.execPath, [qg, 'run', '-b', repo, '-g', graphFile, '-j', String(jobs), '--json'], { reject: false, env: { BPS_LOG_LEVEL: 'warn' } });
    const seconds = (performance.now() - started) / 1000;
    const quanta = graph.quanta.length;
    const note = result.exitCode === 0 ? `${quanta} quanta, ${jobs} workers, aggregation included` : `qg run FAILED (exit ${result.exitCode})`;
    return [
      { name: `qg run: ${quanta} no-op quanta, -j ${jobs}`, backend: 'sqlite', value: quanta / seconds, unit: 'quanta/s', lowerIsBetter: false, note },
      { name: 'qg run: per-quantum overhead (wall × workers / quanta)', backend: 'sqlite', value: (seconds * 1000 * jobs) / quanta, unit: 'ms', lowerIsBetter: true },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
