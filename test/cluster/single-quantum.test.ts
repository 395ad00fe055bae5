import { describe, expect, it } from 'vitest';
import { clusterQuantumGraph, ClusterError, formatClusterName } from '../../src/cluster/index.js';
import { BpsConfig } from '../../src/config/index.js';
import { makeDemoGraph, makeGraph, makeReferenceGraph } from './graph-fixtures.js';

describe('single-quantum clustering', () => {
  it('makes one job per quantum named {node_number}_{label}_<templateDataId>, parents mirroring upstream quanta', () => {
    const graph = makeReferenceGraph();
    const { clustered, counts } = clusterQuantumGraph({ graph, config: BpsConfig.fromObject({ templateDataId: '{D1}_{D2}_{D3}_{D4}' }) });
    expect(clustered.algorithm).toBe('single');
    expect(counts).toEqual({ quanta: 18, clusters: 18, dependencies: 12, clustersByLabel: { T1: 3, T2: 3, T2b: 3, T3: 3, T4: 3, T5: 3 } });
    expect(clustered.clusters.find((c) => c.quanta[0] === 1)).toMatchObject({ name: '1_T2_1_2', label: 'T2', tags: { D1: 1, D2: 2 }, quantaCounts: { T2: 1 } });
    for (const c of clustered.clusters) {
      const q = graph.quanta[c.quanta[0]!]!;
      expect(c.parents.map((p) => clustered.clusters[p]!.quanta[0])).toEqual([...q.upstream]);
    }
    expect(clustered.name).toBe('u_test_run_20240101T000000Z');
  });

  it('names jobs by node number alone without templateDataId, and without it when useNodeIdInClusterName is false', () => {
    const graph = makeReferenceGraph();
    expect(clusterQuantumGraph({ graph, config: BpsConfig.fromObject({}) }).clustered.clusters.map((c) => c.name).slice(0, 3)).toEqual(['0', '6', '12']);
    const named = clusterQuantumGraph({ graph, config: BpsConfig.fromObject({ templateDataId: '{D1}_{D2}', useNodeIdInClusterName: false }) }).clustered;
    expect(named.clusters.map((c) => c.name)).toContain('T2b_3_4');
  });

  it('rejects two quanta that get the same job name', () => {
    const graph = makeReferenceGraph();
    expect(() => clusterQuantumGraph({ graph, config: BpsConfig.fromObject({ templateDataId: '{D1}', useNodeIdInClusterName: false }) })).toThrowError(ClusterError);
  });

  it('clusters the demo-shaped graph into 88 jobs in dependency order', () => {
    const graph = makeDemoGraph();
    const { clustered, counts } = clusterQuantumGraph({ graph, config: BpsConfig.fromObject({ templateDataId: '{tract}_{patch}_{band}_{visit}_{exposure}_{detector}' }) });
    expect(counts.clusters).toBe(88);
    expect(counts.clustersByLabel).toEqual({ processCcd: 16, makeCoaddTempExp: 32, assembleCoadd: 8, detectCoaddSources: 8, mergeCoaddDetections: 4, measureCoaddSources: 8, mergeCoaddMeasurements: 4, forcedPhotCoadd: 8 });
    expect(counts.dependencies).toBe(graph.quanta.reduce((n, q) => n + q.upstream.length, 0));
    clustered.clusters.forEach((c, i) => c.parents.forEach((p) => expect(p).toBeLessThan(i)));
    expect(clustered.clusters.find((c) => c.label === 'assembleCoadd')!.name).toMatch(/^\d+_assembleCoadd_0_0_g$/);
  });

  it('formats names with format specs and replaces slashes', () => {
    expect(formatClusterName('{label}_{visit:06}_{band}', { label: 'isr', visit: 42, band: 'a/b' })).toBe('isr_000042_a_b');
  });
});

describe('job resources', () => {
  const graph = makeGraph(['A', 'B', 'C'], [
    { label: 'A', dataId: { visit: 1 } },
    { label: 'A', dataId: { visit: 1 } },
    { label: 'B', dataId: { visit: 1 }, upstream: [0, 1] },
    { label: 'C', dataId: { visit: 1 }, upstream: [2] },
  ]);
  const base = {
    requestMemory: 2048, requestCpus: 1, numberOfRetries: 3, requestWalltime: 100, memoryMultiplier: 2, memoryLimit: 100000, retryUnlessExit: [1, 2],
    pipetask: { A: { requestMemory: 4096, requestWalltime: '00:10:00' }, B: { requestCpus: 2, numberOfRetries: 1 }, C: { memoryMultiplier: 1, requestMemoryMax: 8192 } },
  };

  it('takes the maximum of memory, cpus and retries and the sum of walltimes over the quanta', () => {
    const config = BpsConfig.fromObject({ ...base, cluster: { ab: { pipetasks: 'A, B', dimensions: 'visit' } } });
    const ab = clusterQuantumGraph({ graph, config }).clustered.clusters.find((c) => c.label === 'ab')!;
    expect(ab.resources).toEqual({
      requestCpus: 2, requestMemory: 4096, requestWalltime: 2 * 600 + 100, numberOfRetries: 3, memoryMultiplier: 2, requestMemoryMax: 100000, memoryLimit: 100000, retryUnlessExit: [1, 2],
    });
  });

  it('lets values in the cluster section win, and turns memory scaling off for a multiplier of 1', () => {
    const config = BpsConfig.fromObject({ ...base, cluster: { ab: { pipetasks: 'A, B', dimensions: 'visit', requestMemory: 1000, requestWalltime: '1:00:00' } } });
    const { clusters } = clusterQuantumGraph({ graph, config }).clustered;
    expect(clusters.find((c) => c.label === 'ab')!.resources).toMatchObject({ requestMemory: 1000, requestWalltime: 3600 });
    expect(clusters.find((c) => c.label === 'C')!.resources).toMatchObject({ memoryMultiplier: null, requestMemoryMax: null, numberOfRetries: 3, requestMemory: 2048 });
  });

  it('defaults retries to 5 under memory scaling and caps requestMemoryMax at memoryLimit', () => {
    const config = BpsConfig.fromObject({ memoryMultiplier: 3, requestMemoryMax: 500000, memoryLimit: 65536 });
    const c = clusterQuantumGraph({ graph, config }).clustered.clusters[0]!;
    expect(c.resources).toMatchObject({ numberOfRetries: 5, memoryMultiplier: 3, requestMemoryMax: 65536, requestCpus: 1, requestMemory: 2048, requestWalltime: null, retryUnlessExit: [] });
  });

  it('rejects a cluster mixing tasks with different retryUnlessExit', () => {
    const config = BpsConfig.fromObject({ retryUnlessExit: 1, pipetask: { B: { retryUnlessExit: [3] } }, cluster: { ab: { pipetasks: 'A, B', dimensions: 'visit' } } });
    expect(() => clusterQuantumGraph({ graph, config })).toThrowError("job 'ab_1' mixes tasks with different retryUnlessExit: [1] (task 'A') and [3] (task 'B')");
  });

  it('reports a malformed resource value with its key', () => {
    const config = BpsConfig.fromObject({ pipetask: { B: { requestWalltime: 'soon' } } });
    expect(() => clusterQuantumGraph({ graph, config })).toThrowError(/bps setting 'pipetask.B.requestWalltime' \(<object>\) must be a walltime/);
  });
});
