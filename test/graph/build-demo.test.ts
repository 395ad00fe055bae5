import { afterEach, describe, expect, it } from 'vitest';
import { buildQuantumGraph, createGraphRegistry, type BuildQuantumGraphOptions, type QuantumGraph } from '../../src/graph/index.js';
import { backends, makeRegistry } from '../support/backends.js';
import { DEMO_INPUTS, loadDemoPipeline, populateDemoRegistry } from './demo-registry.js';

const EXPECTED = {
  processCcd: 16,
  makeCoaddTempExp: 32,
  assembleCoadd: 8,
  detectCoaddSources: 8,
  mergeCoaddDetections: 4,
  measureCoaddSources: 8,
  mergeCoaddMeasurements: 4,
  forcedPhotCoadd: 8,
};

function countByTask(graph: QuantumGraph): Record<string, number> {
  const out: Record<string, number> = {};
  for (const q of graph.quanta) out[q.taskLabel] = (out[q.taskLabel] ?? 0) + 1;
  return out;
}

describe.each(backends)('quantum graph of the demo pipeline ($name)', ({ make }) => {
  let dispose: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await dispose?.();
    dispose = undefined;
  });

  async function build(extra: Partial<BuildQuantumGraphOptions> = {}): Promise<QuantumGraph> {
    const made = await makeRegistry(make);
    dispose = made.dispose;
    await populateDemoRegistry(made.registry);
    const result = await buildQuantumGraph({
      registry: createGraphRegistry(made.registry),
      pipeline: loadDemoPipeline(),
      collections: { inputs: DEMO_INPUTS, output: 'u/demo/out', now: new Date('2024-05-01T10:20:30Z') },
      provenance: { pipelineYaml: '', commandLine: 'test', repo: 'mem' },
      predictPath: (d) => `${d.run}/${d.datasetType}/${Object.values(d.dataId).join('_')}`,
      ...extra,
    });
    return result.graph;
  }

  it('plans the DESDM prototype counts per task (88 quanta)', async () => {
    const graph = await build();
    expect(countByTask(graph)).toEqual(EXPECTED);
    expect(graph.header.quantumCount).toBe(88);
    expect(graph.header.outputRun).toBe('u/demo/out/20240501T102030Z');
    expect(graph.header.tasks.map((t) => [t.label, t.quanta])).toEqual(Object.entries(EXPECTED));
  });

  it('orders quanta topologically with upstream indexes pointing backwards', async () => {
    const graph = await build();
    graph.quanta.forEach((q, i) => {
      expect(q.index).toBe(i);
      for (const up of q.upstream) expect(up).toBeLessThan(i);
    });
    const warp = graph.quanta.find((q) => q.taskLabel === 'makeCoaddTempExp');
    expect(warp?.inputs['calExpList']).toHaveLength(2);
    expect(warp?.upstream).toHaveLength(2);
    expect(graph.quanta[warp?.upstream[0] ?? -1]?.taskLabel).toBe('processCcd');
    const coadd = graph.quanta.find((q) => q.taskLabel === 'assembleCoadd');
    expect(coadd?.inputs['inputWarps']).toHaveLength(4);
  });

  it('gives quanta UUIDv7 ids and data IDs with implied values', async () => {
    const graph = await build();
    const q = graph.quanta[0];
    expect(q?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(q?.dataId).toMatchObject({ instrument: 'DemoCam', visit: 1, detector: 0, physical_filter: 'demo-i', band: 'i', day_obs: 20240101 });
    expect(new Set(graph.quanta.map((x) => x.id)).size).toBe(88);
  });

  it('resolves existing inputs with datastore paths and predicts output paths in the run', async () => {
    const graph = await build();
    const q = graph.quanta[0];
    const raw = q?.inputs['ccdExposure']?.[0];
    expect(raw).toMatchObject({ datasetType: 'raw', run: 'DemoCam/raw/all', path: 'raw/raw_1_0.fits', formatter: 'fits' });
    const calexp = q?.outputs['outputExposure']?.[0];
    expect(calexp?.run).toBe('u/demo/out/20240501T102030Z');
    expect(calexp?.path).toMatch(/^u\/demo\/out\/20240501T102030Z\/calexp\/DemoCam_0_1_i/);
    expect(Object.keys(q?.outputs ?? {}).sort()).toEqual(['_log', '_metadata', 'outputCat', 'outputExposure']);
    expect(q?.prerequisites['refCat']?.[0]?.datasetType).toBe('ref_cat');
    expect(q?.prerequisites['bias']?.[0]?.dataId).toEqual({ instrument: 'DemoCam', detector: 0 });
    expect(q?.prerequisites['flat']?.[0]?.dataId).toMatchObject({ physical_filter: 'demo-i', detector: 0 });
  });

  it('shares the same ref between producer and consumers', async () => {
    const graph = await build();
    const producer = graph.quanta[0];
    const calexpId = producer?.outputs['outputExposure']?.[0]?.id;
    const consumers = graph.quanta.filter((q) => q.inputs['calExpList']?.some((r) => r.id === calexpId));
    expect(consumers).toHaveLength(4);
    for (const c of consumers) expect(c.upstream).toContain(0);
  });

  it('records init-outputs, init-inputs and the packages dataset', async () => {
    const graph = await build();
    const tasks = Object.fromEntries(graph.header.tasks.map((t) => [t.label, t]));
    expect(tasks['processCcd']?.initOutputs['outputSchema']?.datasetType).toBe('src_schema');
    expect(tasks['processCcd']?.initOutputs['_config']?.datasetType).toBe('processCcd_config');
    expect(tasks['mergeCoaddDetections']?.initInputs['schema']?.id).toBe(tasks['detectCoaddSources']?.initOutputs['detectionSchema']?.id);
    expect(graph.header.globalInitOutputs.map((r) => r.datasetType)).toEqual(['packages']);
  });

  it('builds only the selected subset and its overall inputs', async () => {
    const graph = await build({ pipeline: loadDemoPipeline('step1') });
    expect(countByTask(graph)).toEqual({ processCcd: 16 });
  });

  it('narrows quanta with the where-clause', async () => {
    const graph = await build({ where: "band = 'i' AND detector = 1" });
    expect(countByTask(graph)).toMatchObject({ processCcd: 4, makeCoaddTempExp: 16, assembleCoadd: 4, mergeCoaddDetections: 4 });
  });
});
