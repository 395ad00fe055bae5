import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchResult } from './measure.js';
import { prepareNoOpRun } from './noop-run.js';

/**
 * 10,000 no-op quanta through the local site with dimension clustering (one job per visit),
 * `run-qbb` executing them for real and the run state persisted: quanta per second of the
 * payload jobs, from the site's submit to its return (graph, clustering and transform excluded).
 */
export async function benchLocalSite(options: { visits?: number; detectors?: number } = {}): Promise<BenchResult[]> {
  const visits = options.visits ?? 20;
  const detectors = options.detectors ?? 500;
  const dir = mkdtempSync(join(tmpdir(), 'bps-bench-'));
  try {
    const { graph, workflow, site, prepared, store, log } = await prepareNoOpRun({ dir, visits, detectors, site: 'local', name: 'bench_noop', configLines: ['cluster: {byVisit: {pipetasks: noop, dimensions: visit}}'] });
    const started = performance.now();
    await site.submit({ workflow, prepared, recorder: store, log });
    const seconds = (performance.now() - started) / 1000;
    const failed = store.jobs().filter((j) => j.state !== 'succeeded').length;
    store.close();
    const quanta = graph.quanta.length;
    const note = `${workflow.jobs.length} jobs of ${detectors} quanta, ${String(prepared.settings['maxJobs'])} at once on ${availableParallelism()} cores${failed ? `; ${failed} JOBS FAILED` : ''}`;
    return [
      { name: `local site: ${quanta} no-op quanta, clustered`, backend: 'sqlite', value: quanta / seconds, unit: 'quanta/s', target: 1000, lowerIsBetter: false, note },
      { name: 'local site: wall time of the run', backend: 'sqlite', value: seconds, unit: 's', lowerIsBetter: true, note: 'Parsl HTEX peaks near 1,200 tasks/s' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
