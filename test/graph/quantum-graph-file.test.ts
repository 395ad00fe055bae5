import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
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

  it('round-trips ids that are not UUIDs, any data-ID value, long and foreign paths', () => {
    const graph = makeGraph(2);
    const odd: GraphDatasetRef = {
      id: 'not-a-uuid', datasetType: 'odd', run: 'u/test/run', replacesId: '0190ABCD-0000-7000-8000-000000000000',
      dataId: { instrument: 'Ünïcode ✓', big: 2 ** 52 + 2, negative: -7, fraction: 0.25, zero: 0, huge: -(2 ** 53) },
      path: `/elsewhere/${'x'.repeat(20000)}.fits`, formatter: 'fits',
    };
    const noPath: GraphDatasetRef = { id: makeUuid7(), datasetType: 'odd', run: 'u/test/run', dataId: {} };
    const sameRun: GraphDatasetRef = { id: makeUuid7(), datasetType: 'odd', run: 'u/test/run', dataId: {}, path: 'u/test/run' };
    // Two UUIDs that end alike (the reader's lookup key), each read by two quanta.
    const twins = ['01900000-0000-7000-8000-00001234abcd', '01900000-0000-7000-8000-99991234abcd'].map((id): GraphDatasetRef => ({ id, datasetType: 'odd', run: 'u/test/run', dataId: { n: id.length } }));
    const [first, second, last] = graph.quanta as [Quantum, Quantum, Quantum];
    const quanta = [
      { ...first, inputs: { ...first.inputs, odd: twins } },
      { ...second, inputs: { ...second.inputs, odd: [...twins].reverse() } },
      { ...last, id: 'Quantum-Two', inputs: { ...last.inputs, odd: [odd, noPath, sameRun] }, upstream: [1, 0, 1] },
    ];
    const file = join(dir, 'odd.qg');
    writeQuantumGraph(file, { ...graph, quanta });
    const back = readQuantumGraph(file).quanta;
    expect(back).toEqual(quanta);
    expect(back[1]?.inputs['odd']?.[1]).toBe(back[0]?.inputs['odd']?.[0]);
    const reader = openQuantumGraph(file);
    expect(reader.readQuantum(2)).toEqual(quanta[2]);
    reader.close();
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
    // Quantum 4's record is the first to hold the path of its calexp (stored after the run).
    const at = bytes.indexOf(Buffer.from('calexp/DemoCam_1_4_i.fits'));
    expect(at).toBeGreaterThan(0);
    bytes[at + 3] = bytes[at + 3] === 0x30 ? 0x31 : 0x30;
    writeFileSync(file, bytes);
    expectFileError(() => readQuantumGraph(file), /corrupted: its SHA-256/);
    const reader = openQuantumGraph(file);
    expect(reader.readQuantum(3).index).toBe(3);
    expectFileError(() => reader.readQuantum(4), /quantum 4 fails its CRC-32/);
    reader.close();
  });

  it('reports a record that passes its checksum but cannot be decoded', () => {
    const file = join(dir, 'undecodable.qg');
    writeQuantumGraph(file, makeGraph(5));
    const bytes = Buffer.from(readFileSync(file));
    // Trailer: index offset (u64) first; index entry: record offset u64, length u32, CRC u32.
    const entry = Number(bytes.readBigUInt64LE(bytes.length - 72)) + 3 * 16;
    const start = Number(bytes.readBigUInt64LE(entry));
    const record = bytes.subarray(start, start + bytes.readUInt32LE(entry + 8));
    record[0] = 99;
    bytes.writeUInt32LE(crc32(record), entry + 12);
    writeFileSync(file, bytes);
    const reader = openQuantumGraph(file);
    expect(reader.readQuantum(2).index).toBe(2);
    expectFileError(() => reader.readQuantum(3), /record of quantum 3 cannot be decoded \(unknown task index 99\)/);
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
