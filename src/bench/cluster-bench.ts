import { clusterQuantumGraph } from '../cluster/index.js';
import { BPS_DEFAULTS_FILE, BpsConfig, readConfigFile, type ConfigTree } from '../config/index.js';
import type { Quantum, QuantumGraph } from '../graph/index.js';
import { transformWorkflow } from '../workflow/index.js';
import type { BenchResult } from './measure.js';

/**
 * A graph shaped like the LoVoCCS skyCorr submission of seed 004 (6,895 quanta): 133 skyCorr
 * (visit), 5,824 makeWarp (patch, visit), 469 assembleCoadd and 469 detection (patch, band).
 */
export function makeLovoccsShapedGraph(): QuantumGraph {
  const quanta: Quantum[] = [];
  const add = (taskLabel: string, dataId: Record<string, string | number>, upstream: number[]): number => {
    const index = quanta.length;
    quanta.push({ id: `00000000-0000-7000-8000-${index.toString(16).padStart(12, '0')}`, index, taskLabel, dataId, inputs: {}, prerequisites: {}, outputs: {}, upstream });
    return index;
  };
  const bands = ['g', 'r', 'i', 'z'];
  const visitsByBand: number[][] = bands.map(() => []);
  const skyCorr = new Map<number, number>();
  for (let v = 0; v < 133; v++) {
    const visit = 690000 + v;
    visitsByBand[v % 4]!.push(visit);
    skyCorr.set(visit, add('skyCorr', { instrument: 'DECam', visit, band: bands[v % 4]! }, []));
  }
  const coadds: { patch: number; band: string; warps: number[] }[] = [];
  for (let c = 0; c < 469; c++) {
    const patch = Math.floor(c / 4);
    const band = bands[c % 4]!;
    const visits = visitsByBand[c % 4]!;
    const n = c < 196 ? 13 : 12;
    const warps: number[] = [];
    for (let k = 0; k < n; k++) {
      const visit = visits[(patch + k) % visits.length]!;
      warps.push(add('makeWarp', { instrument: 'DECam', skymap: 'A85', tract: 0, patch, visit, band }, [skyCorr.get(visit)!]));
    }
    coadds.push({ patch, band, warps });
  }
  const assembled = coadds.map((c) => add('assembleCoadd', { skymap: 'A85', tract: 0, patch: c.patch, band: c.band }, c.warps));
  coadds.forEach((c, i) => add('detection', { skymap: 'A85', tract: 0, patch: c.patch, band: c.band }, [assembled[i]!]));
  const dimensions: Record<string, string[]> = {
    skyCorr: ['instrument', 'visit'],
    makeWarp: ['instrument', 'skymap', 'tract', 'patch', 'visit'],
    assembleCoadd: ['skymap', 'tract', 'patch', 'band'],
    detection: ['skymap', 'tract', 'patch', 'band'],
  };
  const labels = Object.keys(dimensions);
  return {
    header: {
      formatVersion: 1, createdAt: '2024-09-04T11:39:49Z', user: 'bench', host: 'bench', commandLine: 'bench', repo: 'repo/repo',
      inputCollections: ['DECam/raw/all'], outputCollection: 'DECam/processing/skycorr', outputRun: 'DECam/processing/skycorr/20240904T113949Z', pipelineYaml: '',
      tasks: labels.map((label) => ({ label, taskClass: label, dimensions: dimensions[label]!, config: {}, initInputs: {}, initOutputs: {}, storageClasses: {}, quanta: quanta.filter((q) => q.taskLabel === label).length })),
      datasetTypes: [], globalInitOutputs: [], quantumCount: quanta.length, datasetCount: 0,
    },
    quanta,
  };
}

function makeConfig(extra: ConfigTree): BpsConfig {
  const env = { PWD: '/gpfs/data/A85', USER: 'bench' };
  const user: ConfigTree = {
    computeSite: 'slurm',
    payload: { payloadName: 'skycorr', butlerConfig: 'repo/repo', inCollection: 'DECam/raw/all', output: 'DECam/processing/skycorr' },
    bps_defined: { timestamp: '20240904T113949Z', operator: 'bench' },
    ...extra,
  };
  return BpsConfig.fromLayers([readConfigFile(BPS_DEFAULTS_FILE, env), { tree: user, origins: new Map([['', 'bench']]) }], env);
}

/** Runs discarded before timing (JIT warm-up). */
const WARMUP = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timeStages(graph: QuantumGraph, config: BpsConfig, runs: number): { cluster: number; transform: number; jobs: number } {
  const cluster: number[] = [];
  const transform: number[] = [];
  let jobs = 0;
  for (let i = 0; i < runs + WARMUP; i++) {
    const t0 = performance.now();
    const { clustered } = clusterQuantumGraph({ graph, config });
    const t1 = performance.now();
    const { counts } = transformWorkflow({ config, clustered, graph });
    const t2 = performance.now();
    jobs = counts.jobs;
    if (i >= WARMUP) {
      cluster.push(t1 - t0);
      transform.push(t2 - t1);
    }
  }
  return { cluster: median(cluster), transform: median(transform), jobs };
}

/**
 * Cluster and transform stages on a 6,895-quantum graph of the LoVoCCS shape (reference:
 * 0.21 s + 1.25 s in seed 004): one quantum per job, and per-patch-and-band clusters.
 */
export async function benchCluster(): Promise<BenchResult[]> {
  const graph = makeLovoccsShapedGraph();
  const single = timeStages(graph, makeConfig({}), 9);
  const clustered = timeStages(graph, makeConfig({ cluster: { coadd: { pipetasks: 'makeWarp, assembleCoadd, detection', dimensions: 'tract, patch, band' } } }), 9);
  const backend = 'memory';
  return [
    { name: 'cluster stage, 6,895 quanta, 1 quantum/job', backend, value: single.cluster, unit: 'ms', lowerIsBetter: true, note: 'reference 207 ms' },
    { name: 'transform stage, 6,897 jobs', backend, value: single.transform, unit: 'ms', lowerIsBetter: true, note: `reference 1,250 ms; ${single.jobs} jobs` },
    { name: 'cluster + transform, 6,895 quanta', backend, value: single.cluster + single.transform, unit: 'ms', target: 100, lowerIsBetter: true, note: 'reference 1,457 ms' },
    { name: 'cluster + transform, per patch+band clusters', backend, value: clustered.cluster + clustered.transform, unit: 'ms', target: 100, lowerIsBetter: true, note: `${clustered.jobs} jobs` },
  ];
}
