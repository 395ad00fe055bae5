import { describe, expect, it } from 'vitest';
import { makeLovoccsShapedGraph } from '../../src/bench/cluster-bench.js';
import { clusterQuantumGraph } from '../../src/cluster/index.js';
import { loadBpsConfig } from '../../src/config/index.js';
import { transformWorkflow } from '../../src/workflow/index.js';
import { LOVOCCS_CONFIG } from '../config/corpus.js';

describe('LoVoCCS scale (seed 004: 6,895 quanta for 4 tasks)', () => {
  it('clusters and transforms into 6,897 jobs (including init and final) like the reference log', () => {
    const graph = makeLovoccsShapedGraph();
    const counts: Record<string, number> = {};
    for (const q of graph.quanta) counts[q.taskLabel] = (counts[q.taskLabel] ?? 0) + 1;
    expect(counts).toEqual({ skyCorr: 133, makeWarp: 5824, assembleCoadd: 469, detection: 469 });
    const config = loadBpsConfig({
      file: LOVOCCS_CONFIG, cwd: '/gpfs/data/idellant/Clusters/gen3_processing/A85', operator: 'idellant', now: new Date('2024-09-04T11:39:49Z'),
      overrides: { butlerConfig: 'repo/repo', output: 'DECam/processing/skycorr', inCollection: 'DECam/raw/all' },
    });
    const started = performance.now();
    const { clustered, counts: clusterCounts } = clusterQuantumGraph({ graph, config });
    const { workflow, counts: wfCounts } = transformWorkflow({ config, clustered, graph });
    const ms = performance.now() - started;
    expect(clusterCounts.clusters).toBe(6895);
    expect(wfCounts.jobs).toBe(6897);
    expect(workflow.name).toBe('DECam_processing_skycorr_20240904T113949Z');
    const sky = workflow.jobs.find((j) => j.label === 'skyCorr' && j.tags['visit'] === 690001)!;
    expect(sky.stdout).toBe(`logs/skyCorr/690001/${sky.name}.out`);
    const det = workflow.jobs.find((j) => j.label === 'detection' && j.tags['patch'] === 65 && j.tags['band'] === 'i')!;
    expect(det.stdout).toBe(`logs/detection/0/65/i/${det.name}.out`);
    // Generous bound for a cold, unoptimised first run; the benchmark measures the warm figure.
    expect(ms).toBeLessThan(2000);
  });
});
