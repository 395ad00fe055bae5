import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  openQuantumGraph, QUANTUM_GRAPH_FORMAT_VERSION, QuantumGraphFileError, readQuantumGraph, writeQuantumGraph, type GraphDatasetRef, type Quantum, type QuantumGraph,
} from '../../src/graph/index.js';
import { makeUuid7 } from '../../src/util/index.js';

const dir = mkdtempSync(join(tmpdir(), 'bps-qg-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A two-task graph: `n` per-detector quanta feeding one per-visit quantum. */
function makeGraph(n: number): QuantumGraph {
  const run = 'u/test/run';
  const ref = (datasetType: string, dataId: Record<string, string | number>, extra: Partial<GraphDatasetRef> = {}): GraphDatasetRef => ({ id: makeUuid7(), datasetType, dataId, run, path: `${run}/${datasetType}/${Object.values(dataId).join('_')}.fits`, ...extra });
  const quanta: Quantum[] = [];
  const calexps: GraphDatasetRef[] = [];
  for (let d = 0; d < n; d++) {
    const dataId = { instrument: 'DemoCam', visit: 1, detector: d, band: 'i' };
    const calexp = ref('calexp', dataId);
    calexps.push(calexp);
    quanta.push({
      id: makeUuid7(), index: d, taskLabel: 'isr', dataId,
      inputs: { raw: [ref('raw', { instrument: 'DemoCam', exposure: 1, detector: d }, { run: 'raw/all', formatter: 'fits' })] },
      prerequisites: { bias: [ref('bias', { instrument: 'DemoCam', detector: d }, { run: 'calib' })] },
      outputs: { calexp: [calexp], _metadata: [ref('isr_metadata', dataId, { replacesId: makeUuid7() })] },
      upstream: [],
    });
  }
  quanta.push({ id: makeUuid7(), index: n, taskLabel: 'visitSummary', dataId: { instrument: 'DemoCam', visit: 1 }, inputs: { calexps }, prerequisites: {}, outputs: { summary: [ref('summary', { instrument: 'DemoCam', visit: 1 })] }, upstream: quanta.map((q) => q.index) });
  return {
    header: {
      formatVersion: QUANTUM_GRAPH_FORMAT_VERSION, createdAt: new Date().toISOString(), user: 'me', host: 'here', commandLine: 'qg build ...', repo: '/repo',
      inputCollections: ['raw/all', 'calib'], outputCollection: 'u/test', outputRun: run, pipelineYaml: 'tasks: {}\n',
      tasks: [
        { label: 'isr', taskClass: 'a.Isr', dimensions: ['instrument', 'visit', 'detector'], config: { doBias: true }, initInputs: {}, initOutputs: { _config: ref('isr_config', {}) }, storageClasses: { raw: 'Exposure' }, quanta: n },
        { label: 'visitSummary', taskClass: 'a.Summary', dimensions: ['instrument', 'visit'], config: {}, initInputs: {}, initOutputs: {}, storageClasses: {}, quanta: 1 },
      ],
      datasetTypes: [{ name: 'calexp', dimensions: ['instrument', 'visit', 'detector'], storageClass: 'ExposureF', isCalibration: false }],
      globalInitOutputs: [ref('packages', {})], quantumCount: n + 1, datasetCount: 5 * n + 2,
    },
    quanta,
  };
}

function expectFileError(fn: () => unknown, pattern: RegExp): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(QuantumGraphFileError);
    expect((err as Error).message).toMatch(pattern);
    return;
  }
  throw new Error('expected a QuantumGraphFileError');
}

describe('.qg files', () => {
  for (const compress of [false, true]) {
    it(`reads back exactly what was written (compress=${compress})`, () => {
      const graph = makeGraph(20);
      const file = join(dir, `round-${compress}.qg`);
      const written = writeQuantumGraph(file, graph, { compress });
      expect(written.quanta).toBe(21);
      expect(readFileSync(file).length).toBe(written.bytes);
      expect(readQuantumGraph(file)).toEqual(graph);
    });
  }

  it('reads one quantum and finds quanta by id without reading the others', () => {
    const graph = makeGraph(50);
    const file = join(dir, 'random.qg');
    writeQuantumGraph(file, graph, { compress: true });
    const reader = openQuantumGraph(file);
    try {
      expect(reader.quantumCount).toBe(51);
      expect(reader.header.outputRun).toBe('u/test/run');
      expect(reader.readQuantum(37)).toEqual(graph.quanta[37]);
      expect(reader.readQuantum(50).upstream).toHaveLength(50);
      expect(reader.findQuantumIndex(graph.quanta[12]?.id ?? '')).toBe(12);
      expect(() => reader.findQuantumIndex(makeUuid7())).toThrow(/is not in quantum graph .*random\.qg/);
      expectFileError(() => reader.readQuantum(51), /out of range.*51 quanta/);
    } finally {
      reader.close();
    }
  });

  it('leaves no temporary file behind', () => {
    const sub = mkdtempSync(join(dir, 'tmp-'));
    writeQuantumGraph(join(sub, 'g.qg'), makeGraph(3));
    expect(readdirSync(sub)).toEqual(['g.qg']);
  });

  it('detects a truncated file', () => {
    const file = join(dir, 'trunc.qg');
    writeQuantumGraph(file, makeGraph(10));
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length - 100));
    expectFileError(() => readQuantumGraph(file), /truncated/);
    expectFileError(() => openQuantumGraph(file), /truncated/);
    writeFileSync(file, bytes.subarray(0, 10));
    expectFileError(() => openQuantumGraph(file), /truncated|not a quantum graph/);
  });

  it('detects a corrupted record by checksum', () => {
    const file = join(dir, 'corrupt.qg');
    const graph = makeGraph(10);
    writeQuantumGraph(file, graph);
    const bytes = Buffer.from(readFileSync(file));
    const at = bytes.indexOf(Buffer.from(graph.quanta[4]?.id ?? ''));
    bytes[at + 3] = bytes[at + 3] === 0x30 ? 0x31 : 0x30;
    writeFileSync(file, bytes);
    expectFileError(() => readQuantumGraph(file), /corrupted: its SHA-256/);
    const reader = openQuantumGraph(file);
    expect(reader.readQuantum(3).index).toBe(3);
    expectFileError(() => reader.readQuantum(4), /quantum 4 fails its CRC-32/);
    reader.close();
  });

  it('refuses files that are not quantum graphs, or of another version', () => {
    const file = join(dir, 'other.qg');
    writeFileSync(file, 'tasks:\n  a: b\n'.repeat(20));
    expectFileError(() => readQuantumGraph(file), /not a bps-ts quantum graph/);
    writeQuantumGraph(file, makeGraph(2));
    const bytes = Buffer.from(readFileSync(file));
    bytes.writeUInt32LE(99, 8);
    writeFileSync(file, bytes);
    expectFileError(() => openQuantumGraph(file), /version 99 quantum graph/);
    expectFileError(() => openQuantumGraph(join(dir, 'missing.qg')), /Cannot open quantum graph/);
  });
});
