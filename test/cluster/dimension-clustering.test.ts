import { describe, expect, it } from 'vitest';
import { clusterQuantumGraph, ClusterError, type ClusteredQuantumGraph } from '../../src/cluster/index.js';
import { BpsConfig } from '../../src/config/index.js';
import { makeGraph, makeReferenceGraph } from './graph-fixtures.js';

const graph = makeReferenceGraph();

function cluster(tree: Record<string, unknown>): ClusteredQuantumGraph {
  return clusterQuantumGraph({ graph, config: BpsConfig.fromObject(tree) }).clustered;
}

function summary(cqg: ClusteredQuantumGraph): Record<string, { label: string; tags: unknown; counts: unknown }> {
  return Object.fromEntries(cqg.clusters.map((c) => [c.name, { label: c.label, tags: c.tags, counts: c.quantaCounts }]));
}

function edges(cqg: ClusteredQuantumGraph): string[] {
  return cqg.clusters.flatMap((c) => c.parents.map((p) => `${cqg.clusters[p]!.name} -> ${c.name}`)).sort();
}

describe('dimension clustering', () => {
  it('groups the tasks of a cluster by the values of its dimensions; other tasks stay one quantum per job', () => {
    const cqg = cluster({ cluster: { cl1: { pipetasks: 'T1, T2, T2b, T3, T4', dimensions: 'D1, D2' } } });
    expect(cqg.algorithm).toBe('dimension');
    const s = summary(cqg);
    const counts = { T1: 1, T2: 1, T2b: 1, T3: 1, T4: 1 };
    expect(s['cl1_1_2']).toEqual({ label: 'cl1', tags: { D1: 1, D2: 2 }, counts });
    expect(s['cl1_1_4']).toEqual({ label: 'cl1', tags: { D1: 1, D2: 4 }, counts });
    expect(s['cl1_3_4']).toEqual({ label: 'cl1', tags: { D1: 3, D2: 4 }, counts });
    expect(cqg.clusters.filter((c) => c.label === 'T5').map((c) => c.quanta.length)).toEqual([1, 1, 1]);
    expect(cqg.clusters).toHaveLength(6);
    expect(edges(cqg)).toEqual([]);
  });

  it('makes job dependencies from quantum dependencies between clusters', () => {
    const cqg = cluster({ cluster: { cl1: { pipetasks: ['T1', 'T2'], dimensions: 'D1, D2' }, cl2: { pipetasks: 'T3, T4', dimensions: 'D1, D2' } } });
    const t2b = (d: string): string => cqg.clusters.find((c) => c.label === 'T2b' && `${c.tags['D1']}_${c.tags['D2']}` === d)!.name;
    expect(edges(cqg)).toEqual(
      ['1_2', '1_4', '3_4'].flatMap((d) => [`cl1_${d} -> cl2_${d}`, `cl1_${d} -> ${t2b(d)}`]).sort(),
    );
    const position = new Map(cqg.clusters.map((c, i) => [c.name, i]));
    for (const c of cqg.clusters) for (const p of c.parents) expect(p).toBeLessThan(position.get(c.name)!);
  });

  it('names clusters with clusterTemplate, blanking dimensions a cluster does not have', () => {
    const cqg = cluster({ cluster: { cl1: { pipetasks: 'T1, T2', dimensions: 'D1, D2', clusterTemplate: 'ct_{D1}_{D2}_{D3}_{D4}' } } });
    expect(cqg.clusters.filter((c) => c.label === 'cl1').map((c) => c.name)).toEqual(['ct_1_2', 'ct_1_4', 'ct_3_4']);
  });

  it('puts all quanta of the cluster in one job when it has no dimensions', () => {
    const cqg = cluster({ cluster: { cl1: { pipetasks: 'T1, T2, T3' } } });
    const cl1 = cqg.clusters.find((c) => c.name === 'cl1')!;
    expect(cl1.quantaCounts).toEqual({ T1: 3, T2: 3, T3: 3 });
    expect(cl1.tags).toEqual({});
  });

  it('rejects a task named by two clusters, naming both', () => {
    expect(() => cluster({ cluster: { cl1: { pipetasks: 'T1, T2', dimensions: 'D1' }, cl2: { pipetasks: 'T2, T3', dimensions: 'D1' } } })).toThrowError(
      "task 'T2' is in cluster 'cl1' and in cluster 'cl2'; a task can be in one cluster only",
    );
  });

  it('rejects clusters that depend on each other, naming the cycle and the task edges', () => {
    let error: unknown;
    try {
      cluster({ cluster: { cl1: { pipetasks: 'T1, T3, T4', dimensions: 'D1, D2' }, cl2: { pipetasks: 'T2', dimensions: 'D1, D2' } } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ClusterError);
    expect((error as Error).message).toMatch(/^clusters depend on each other: '(cl1|cl2)' -> '(cl1|cl2)' -> '\1' \(through tasks T\d -> T\d, T\d -> T\d\)$/);
    expect((error as Error).message).toContain('T1 -> T2');
    expect((error as Error).message).toContain('T2 -> T3');
  });

  it('reports a quantum missing a clustering dimension, and accepts equalDimensions in its place', () => {
    expect(() => cluster({ cluster: { cl1: { pipetasks: 'T1, T2', dimensions: 'D1, NotThere' } } })).toThrowError(/quantum 0 of task 'T1' \(data ID \{"D1":1,"D2":2\}\) has no 'NotThere' value, which cluster 'cl1' needs/);
    const cqg = cluster({ cluster: { cl1: { pipetasks: 'T1, T2', dimensions: 'D1, NotThere', equalDimensions: 'NotThere:D2' } } });
    expect(cqg.clusters.filter((c) => c.label === 'cl1').map((c) => [c.name, c.tags])).toEqual([
      ['cl1_1_2', { D1: 1, NotThere: 2 }],
      ['cl1_1_4', { D1: 1, NotThere: 4 }],
      ['cl1_3_4', { D1: 3, NotThere: 4 }],
    ]);
  });

  it('splits clusters into partitions of partitionMaxSize values, shared across clusters', () => {
    const cqg = cluster({ cluster: { partition1: { pipetasks: 'T1, T2', dimensions: 'D1', partitionDimensions: 'D2', partitionMaxSize: 1 } } });
    expect(summary(cqg)).toMatchObject({
      partition1_1_001: { tags: { D1: 1 }, counts: { T1: 1, T2: 1 } },
      partition1_1_002: { tags: { D1: 1 }, counts: { T1: 1, T2: 1 } },
      partition1_3_002: { tags: { D1: 3 }, counts: { T1: 1, T2: 1 } },
    });
    expect(cqg.clusters.filter((c) => c.label === 'partition1')).toHaveLength(3);
  });

  it('checks the partition settings', () => {
    const base = { pipetasks: 'T1', dimensions: 'D1', partitionDimensions: 'D2' };
    expect(() => cluster({ cluster: { p: base } })).toThrowError(/partitionDimensions is set but neither partitionMaxClusters nor partitionMaxSize/);
    expect(() => cluster({ cluster: { p: { ...base, partitionMaxSize: 1, partitionMaxClusters: 4 } } })).toThrowError(/both partitionMaxClusters and partitionMaxSize are set/);
    expect(() => cluster({ cluster: { p: { ...base, partitionMaxClusters: 1 } } })).toThrowError(/partitionMaxClusters \(1\) is smaller than the number of clusters before partitioning \(2\)/);
    expect(() => cluster({ cluster: { p: { ...base, partitionMaxSize: 1, findDependencyMethod: 'bad' } } })).toThrowError(/invalid findDependencyMethod 'bad'/);
  });

  it('follows quantum dependencies from the sinks when the sources lack the dimensions (group vs visit)', () => {
    const g = makeGraph(['getRegion', 'diaPipe'], [
      { label: 'getRegion', dataId: { group: 'g1', detector: 1 } },
      { label: 'getRegion', dataId: { group: 'g2', detector: 1 } },
      { label: 'diaPipe', dataId: { visit: 10, detector: 1 }, upstream: [0] },
      { label: 'diaPipe', dataId: { visit: 20, detector: 1 }, upstream: [1] },
    ]);
    const def = { pipetasks: 'getRegion, diaPipe', dimensions: 'visit, detector' };
    const sink = clusterQuantumGraph({ graph: g, config: BpsConfig.fromObject({ cluster: { cl: { ...def, findDependencyMethod: 'sink' } } }) }).clustered;
    expect(sink.clusters.map((c) => [c.name, c.quanta])).toEqual([['cl_10_1', [0, 2]], ['cl_20_1', [1, 3]]]);
    expect(() => clusterQuantumGraph({ graph: g, config: BpsConfig.fromObject({ cluster: { cl: { ...def, findDependencyMethod: 'source' } } }) })).toThrowError(/has no 'visit' value/);
  });

  it('honours an explicit single-quantum clusterAlgorithm and rejects unknown ones', () => {
    const tree = { cluster: { cl1: { pipetasks: 'T1, T2', dimensions: 'D1' } } };
    expect(cluster({ ...tree, clusterAlgorithm: 'lsst.ctrl.bps.quantum_clustering_funcs.single_quantum_clustering' }).clusters).toHaveLength(18);
    expect(cluster({ ...tree, clusterAlgorithm: 'lsst.ctrl.bps.quantum_clustering_funcs.dimension_clustering' }).clusters).toHaveLength(14);
    expect(() => cluster({ ...tree, clusterAlgorithm: 'magic' })).toThrowError(/unknown clusterAlgorithm 'magic'/);
  });
});
