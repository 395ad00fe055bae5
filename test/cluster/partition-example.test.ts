import { describe, expect, it } from 'vitest';
import { clusterQuantumGraph, partitionSizes } from '../../src/cluster/index.js';
import { BpsConfig } from '../../src/config/index.js';
import { makeGraph, type QuantumSpec } from './graph-fixtures.js';

// The reference's documented example (ctrl_bps quickstart, "Clustering with Partitions"):
// cluster on detector, partition by exposure with partitionMaxClusters: 10000, 189 detectors
// and 800 exposures → floor(10000 / 189) = 52 partitions, 52 × 189 = 9828 jobs; 800 / 52 = 15
// remainder 20, so the first 20 partitions hold 16 exposures and the other 32 hold 15.
const DETECTORS = 189;
const EXPOSURES = 800;

function makeExposureGraph() {
  const specs: QuantumSpec[] = [];
  for (let e = 0; e < EXPOSURES; e++) {
    const exposure = 2024000 + e;
    for (let d = 0; d < DETECTORS; d++) {
      specs.push({ label: 'isr', dataId: { instrument: 'LSSTCam', exposure, detector: d } });
      specs.push({ label: 'calibrateImage', dataId: { instrument: 'LSSTCam', visit: exposure, detector: d }, upstream: [specs.length - 1] });
    }
  }
  return makeGraph(['isr', 'calibrateImage'], specs);
}

describe('partitioning, the reference example of 189 detectors × 800 exposures', () => {
  it('computes the partition sizes of the example', () => {
    const sizes = partitionSizes({ label: 'clusterLabel1', partitionMaxClusters: 10000, partitionMaxSize: undefined, file: undefined }, EXPOSURES, DETECTORS);
    expect(sizes).toHaveLength(52);
    expect(sizes.slice(0, 20).every((s) => s === 16)).toBe(true);
    expect(sizes.slice(20).every((s) => s === 15)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(800);
  });

  it('makes 52 partitions and 9,828 jobs', () => {
    const graph = makeExposureGraph();
    const config = BpsConfig.fromObject({
      requestWalltime: 60,
      clusterAlgorithm: 'lsst.ctrl.bps.quantum_clustering_funcs.dimension_clustering',
      cluster: {
        clusterLabel1: {
          dimensions: 'detector',
          equalDimensions: 'visit:exposure',
          pipetasks: 'isr,calibrateImage,analyzeAmpOffsetMetadata,transformSourceTable',
          partitionDimensions: 'exposure',
          partitionMaxClusters: 10000,
        },
      },
    });
    const started = performance.now();
    const { clustered, counts } = clusterQuantumGraph({ graph, config });
    const ms = performance.now() - started;
    expect(counts.clusters).toBe(9828);
    expect(counts.quanta).toBe(2 * DETECTORS * EXPOSURES);
    expect(counts.dependencies).toBe(0);
    expect(new Set(clustered.clusters.map((c) => c.name.slice(-3))).size).toBe(52);

    const byName = new Map(clustered.clusters.map((c) => [c.name, c]));
    const first = byName.get('clusterLabel1_10_001')!;
    expect(first.tags).toEqual({ detector: 10 });
    expect(first.quantaCounts).toEqual({ isr: 16, calibrateImage: 16 });
    expect(first.resources.requestWalltime).toBe(32 * 60);
    expect(byName.get('clusterLabel1_10_020')!.quanta).toHaveLength(32);
    expect(byName.get('clusterLabel1_10_021')!.quanta).toHaveLength(30);
    expect(byName.get('clusterLabel1_188_052')!.quantaCounts).toEqual({ isr: 15, calibrateImage: 15 });
    // Exposures of one partition are the same in every detector's cluster: partition 001 is the first 16.
    const exposures = (name: string): number[] => byName.get(name)!.quanta.filter((q) => graph.quanta[q]!.taskLabel === 'isr').map((q) => graph.quanta[q]!.dataId['exposure'] as number);
    expect(exposures('clusterLabel1_0_001')).toEqual(Array.from({ length: 16 }, (_, i) => 2024000 + i));
    expect(exposures('clusterLabel1_42_001')).toEqual(exposures('clusterLabel1_0_001'));
    expect(ms).toBeLessThan(5000);
  });
});
