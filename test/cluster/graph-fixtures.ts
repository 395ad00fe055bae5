import type { Quantum, QuantumGraph } from '../../src/graph/index.js';

/** A quantum to put in a test graph: its task, data ID and the positions of its upstream quanta. */
export interface QuantumSpec {
  readonly label: string;
  readonly dataId: Readonly<Record<string, string | number>>;
  readonly upstream?: readonly number[];
}

/** A deterministic UUID-shaped id for quantum `i`. */
export function fakeQuantumId(i: number): string {
  return `00000000-0000-7000-8000-${i.toString(16).padStart(12, '0')}`;
}

/** Builds a QuantumGraph in memory (no file, no registry); quanta keep the given order. */
export function makeGraph(tasks: readonly string[], quanta: readonly QuantumSpec[], outputRun = 'u/test/run/20240101T000000Z'): QuantumGraph {
  const built: Quantum[] = quanta.map((q, index) => ({
    id: fakeQuantumId(index),
    index,
    taskLabel: q.label,
    dataId: q.dataId,
    inputs: {},
    prerequisites: {},
    outputs: {},
    upstream: q.upstream ?? [],
  }));
  return {
    header: {
      formatVersion: 1,
      createdAt: '2024-01-01T00:00:00Z',
      user: 'test',
      host: 'test',
      commandLine: 'test',
      repo: '/repo',
      inputCollections: ['in'],
      outputCollection: 'u/test/run',
      outputRun,
      pipelineYaml: '',
      tasks: tasks.map((label) => ({
        label, taskClass: `test.${label}`, dimensions: [], config: {}, initInputs: {}, initOutputs: {}, storageClasses: {},
        quanta: quanta.filter((q) => q.label === label).length,
      })),
      datasetTypes: [],
      globalInitOutputs: [],
      quantumCount: quanta.length,
      datasetCount: 0,
    },
    quanta: built,
  };
}

/**
 * The reference's clustering test graph (ctrl_bps tests/qg_test_utils.py): T1 → T2 → T3 → T4,
 * T2 → T2b, T5 alone; every task on data IDs (D1, D2) = (1, 2), (1, 4), (3, 4).
 */
export function makeReferenceGraph(): QuantumGraph {
  const ids = [{ D1: 1, D2: 2 }, { D1: 1, D2: 4 }, { D1: 3, D2: 4 }];
  const specs: QuantumSpec[] = [];
  const at = new Map<string, number>();
  const push = (label: string, dataId: { D1: number; D2: number }, from?: string): void => {
    at.set(`${label}/${dataId.D1}/${dataId.D2}`, specs.length);
    specs.push({ label, dataId, upstream: from === undefined ? [] : [at.get(`${from}/${dataId.D1}/${dataId.D2}`)!] });
  };
  for (const id of ids) {
    push('T1', id);
    push('T2', id, 'T1');
    push('T2b', id, 'T2');
    push('T3', id, 'T2');
    push('T4', id, 'T3');
    push('T5', id);
  }
  return makeGraph(['T1', 'T2', 'T2b', 'T3', 'T4', 'T5'], specs);
}

/**
 * A graph shaped like the demo pipeline (pipelines/demo/DRP-demo.yaml, 88 quanta): 8 visits
 * (1–4 in g, 5–8 in r) × 2 detectors, 4 patches of tract 0.
 */
export function makeDemoGraph(outputRun = 'u/demo/DRP-demo/20240101T000000Z'): QuantumGraph {
  const specs: QuantumSpec[] = [];
  const at = new Map<string, number>();
  const add = (key: string, spec: QuantumSpec): void => {
    at.set(key, specs.length);
    specs.push(spec);
  };
  const bandOf = (v: number): string => (v <= 4 ? 'g' : 'r');
  const visits = [1, 2, 3, 4, 5, 6, 7, 8];
  const bands = ['g', 'r'];
  const patches = [0, 1, 2, 3];
  const base = { instrument: 'DemoCam', skymap: 'demo', tract: 0 };
  for (const v of visits) for (const d of [0, 1]) add(`ccd/${v}/${d}`, { label: 'processCcd', dataId: { instrument: 'DemoCam', visit: v, detector: d, band: bandOf(v) } });
  for (const p of patches) for (const v of visits) add(`warp/${p}/${v}`, { label: 'makeCoaddTempExp', dataId: { ...base, patch: p, visit: v, band: bandOf(v) }, upstream: [at.get(`ccd/${v}/0`)!, at.get(`ccd/${v}/1`)!] });
  for (const p of patches) for (const b of bands) add(`coadd/${p}/${b}`, { label: 'assembleCoadd', dataId: { ...base, patch: p, band: b }, upstream: visits.filter((v) => bandOf(v) === b).map((v) => at.get(`warp/${p}/${v}`)!) });
  for (const p of patches) for (const b of bands) add(`det/${p}/${b}`, { label: 'detectCoaddSources', dataId: { ...base, patch: p, band: b }, upstream: [at.get(`coadd/${p}/${b}`)!] });
  for (const p of patches) add(`mdet/${p}`, { label: 'mergeCoaddDetections', dataId: { ...base, patch: p }, upstream: bands.map((b) => at.get(`det/${p}/${b}`)!) });
  for (const p of patches) for (const b of bands) add(`meas/${p}/${b}`, { label: 'measureCoaddSources', dataId: { ...base, patch: p, band: b }, upstream: [at.get(`mdet/${p}`)!, at.get(`coadd/${p}/${b}`)!] });
  for (const p of patches) add(`mmeas/${p}`, { label: 'mergeCoaddMeasurements', dataId: { ...base, patch: p }, upstream: bands.map((b) => at.get(`meas/${p}/${b}`)!) });
  for (const p of patches) for (const b of bands) add(`forced/${p}/${b}`, { label: 'forcedPhotCoadd', dataId: { ...base, patch: p, band: b }, upstream: [at.get(`mmeas/${p}`)!] });
  return makeGraph(
    ['processCcd', 'makeCoaddTempExp', 'assembleCoadd', 'detectCoaddSources', 'mergeCoaddDetections', 'measureCoaddSources', 'mergeCoaddMeasurements', 'forcedPhotCoadd'],
    specs,
    outputRun,
  );
}
