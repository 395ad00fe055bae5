import { sql } from 'kysely';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildQuantumGraph, createGraphRegistry, openQuantumGraph, readQuantumGraph, writeQuantumGraph } from '../graph/index.js';
import { loadPipeline, loadTaskCatalog, resolvePipelineGraph, type PipelineGraph } from '../pipeline/index.js';
import { Registry, type OpenDatabaseOptions } from '../registry/index.js';
import { createLogger, createSilentLogger } from '../util/index.js';
import { peakRssMiB, timeIt, type BenchResult } from './measure.js';

const CATALOG = `tasks:
  bench.SkyCorr:
    dimensions: [instrument, visit]
    connections:
      raws: {kind: input, name: raw, storageClass: Exposure, dimensions: [instrument, exposure, detector], multiple: true}
      skyCorr: {kind: output, name: skyCorr, storageClass: Background, dimensions: [instrument, visit]}
  bench.Isr:
    dimensions: [instrument, visit, detector]
    connections:
      raw: {kind: input, name: raw, storageClass: Exposure, dimensions: [instrument, exposure, detector]}
      calexp: {kind: output, name: calexp, storageClass: ExposureF, dimensions: [instrument, visit, detector]}
  bench.MakeWarp:
    dimensions: [instrument, visit, skymap, tract, patch]
    connections:
      raws: {kind: input, name: raw, storageClass: Exposure, dimensions: [instrument, exposure, detector], multiple: true}
      skyCorr: {kind: input, name: skyCorr, storageClass: Background, dimensions: [instrument, visit]}
      warp: {kind: output, name: warp, storageClass: ExposureF, dimensions: [instrument, visit, skymap, tract, patch]}
  bench.DetectorWarp:
    dimensions: [instrument, visit, detector, skymap, tract, patch]
    connections:
      calexp: {kind: input, name: calexp, storageClass: ExposureF, dimensions: [instrument, visit, detector]}
      warp: {kind: output, name: detWarp, storageClass: ExposureF, dimensions: [instrument, visit, detector, skymap, tract, patch]}
  bench.Assemble:
    dimensions: [skymap, tract, patch, band]
    connections:
      warps: {kind: input, name: warp, storageClass: ExposureF, dimensions: [instrument, visit, skymap, tract, patch], multiple: true}
      coadd: {kind: output, name: coadd, storageClass: ExposureF, dimensions: [skymap, tract, patch, band]}
  bench.Detect:
    dimensions: [skymap, tract, patch, band]
    connections:
      coadd: {kind: input, name: coadd, storageClass: ExposureF, dimensions: [skymap, tract, patch, band]}
      det: {kind: output, name: det, storageClass: SourceCatalog, dimensions: [skymap, tract, patch, band]}
`;
const LOVOCCS = `description: LoVoCCS-like step (seed 004)
instrument: Bench
tasks:
  skyCorr: bench.SkyCorr
  makeWarp: bench.MakeWarp
  assembleCoadd: bench.Assemble
  detection: bench.Detect
`;
const MILLION = `description: per-detector processing and per-detector warps
instrument: Bench
tasks:
  isr: bench.Isr
  detectorWarp: bench.DetectorWarp
`;

/** Size of a synthetic benchmark registry. */
export interface Shape {
  readonly visits: number;
  readonly detectors: number;
  readonly patches: number;
  /** Patches each visit overlaps (a sliding window). */
  readonly window: number;
  /** Patches each detector overlaps, inside its visit's window. */
  readonly perDetector: number;
}

function loadBenchPipeline(dir: string, text: string): PipelineGraph {
  writeFileSync(join(dir, 'catalog.yaml'), CATALOG);
  writeFileSync(join(dir, 'pipeline.yaml'), text);
  const catalog = loadTaskCatalog({ dirs: [], files: [join(dir, 'catalog.yaml')] });
  return resolvePipelineGraph(loadPipeline({ uri: join(dir, 'pipeline.yaml'), catalog }), catalog);
}

/** Fills a registry with the synthetic observations of a benchmark shape (exported for profiling). */
export async function populateGraphBench(registry: Registry, s: Shape): Promise<void> {
  const bands = ['g', 'r', 'i', 'z'];
  const visits = Array.from({ length: s.visits }, (_, v) => v);
  await registry.insertDimensionRecords('instrument', [{ name: 'Bench', class_name: 'Bench' }]);
  await registry.insertDimensionRecords('band', bands.map((name) => ({ name })));
  await registry.insertDimensionRecords('physical_filter', bands.map((b) => ({ instrument: 'Bench', name: `F-${b}`, band: b })));
  await registry.insertDimensionRecords('day_obs', [{ instrument: 'Bench', id: 20240101 }]);
  await registry.insertDimensionRecords('group', [{ instrument: 'Bench', name: 'all' }]);
  await registry.insertDimensionRecords('detector', Array.from({ length: s.detectors }, (_, id) => ({ instrument: 'Bench', id })));
  const filter = (v: number): string => `F-${bands[v % bands.length] ?? 'g'}`;
  for (let first = 0; first < s.visits; first += 5000) {
    const part = visits.slice(first, first + 5000);
    await registry.insertDimensionRecords('exposure', part.map((id) => ({ instrument: 'Bench', id, physical_filter: filter(id), day_obs: 20240101, group: 'all' })));
    await registry.insertDimensionRecords('visit', part.map((id) => ({ instrument: 'Bench', id, physical_filter: filter(id), day_obs: 20240101 })));
    await registry.insertDimensionRecords('visit_definition', part.map((id) => ({ instrument: 'Bench', exposure: id, visit: id })));
  }
  await registry.insertDimensionRecords('skymap', [{ name: 'sky' }]);
  await registry.insertDimensionRecords('tract', [{ skymap: 'sky', id: 0 }]);
  await registry.insertDimensionRecords('patch', Array.from({ length: s.patches }, (_, id) => ({ skymap: 'sky', tract: 0, id })));
  const start = (v: number): number => (v * 7) % Math.max(1, s.patches - s.window + 1);
  const vp = visits.flatMap((visit) => Array.from({ length: s.window }, (_, k) => ({ instrument: 'Bench', visit, skymap: 'sky', tract: 0, patch: start(visit) + k })));
  await registry.insertOverlaps('visit', 'patch', vp);
  await registry.insertOverlaps('visit', 'tract', visits.map((visit) => ({ instrument: 'Bench', visit, skymap: 'sky', tract: 0 })));
  const vdr = [];
  for (const visit of visits) {
    for (let detector = 0; detector < s.detectors; detector++) {
      for (let k = 0; k < s.perDetector; k++) vdr.push({ instrument: 'Bench', visit, detector, skymap: 'sky', tract: 0, patch: start(visit) + ((detector + k) % s.window) });
    }
    if (vdr.length > 100_000) await registry.insertOverlaps('visit_detector_region', 'patch', vdr.splice(0));
  }
  await registry.insertOverlaps('visit_detector_region', 'patch', vdr);
  await registry.registerDatasetType({ name: 'raw', dimensions: ['instrument', 'exposure', 'detector'], storageClass: 'Exposure' });
  await registry.registerRun('Bench/raw');
  for (let first = 0; first < s.visits; first += 1000) {
    const dataIds = visits.slice(first, first + 1000).flatMap((exposure) => Array.from({ length: s.detectors }, (_, detector) => ({ instrument: 'Bench', exposure, detector })));
    const refs = await registry.insertDatasets({ datasetType: 'raw', run: 'Bench/raw', dataIds });
    await registry.insertDatastoreRecords(refs.map((r) => ({ datasetId: r.id, path: `raw/${r.dataId['exposure']}/${r.dataId['detector']}.fits`, formatter: 'fits', storageClass: 'Exposure', fileSize: null, checksum: null })));
  }
  // Planner statistics, as a maintained registry has them (PostgreSQL's autovacuum gathers
  // them by itself; SQLite only on ANALYZE). Without them SQLite joins exposures by instrument.
  await sql`ANALYZE`.execute(registry.context.db);
}

async function openFresh(backend: 'sqlite' | 'postgresql', pgUrl: string | undefined, dir: string, tag: string): Promise<{ registry: Registry; drop(): Promise<void> }> {
  const options: OpenDatabaseOptions = backend === 'sqlite' ? { url: join(dir, `${tag}.sqlite3`) } : { url: pgUrl ?? '', namespace: `bench_${tag}_${process.pid}` };
  const registry = await Registry.create(options);
  return {
    registry,
    drop: async () => {
      if (backend === 'postgresql') await registry.context.db.schema.dropSchema(options.namespace ?? '').cascade().execute();
      await registry.close();
    },
  };
}

/** CPU seconds (user + system, all threads) since `start`. */
function cpuSeconds(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

async function benchOne(options: { backend: 'sqlite' | 'postgresql'; pgUrl: string | undefined; dir: string; tag: string; shape: Shape; pipeline: string; label: string; buildTarget: number; readTarget?: number }): Promise<BenchResult[]> {
  const { backend, dir, tag } = options;
  const db = await openFresh(backend, options.pgUrl, dir, tag);
  const out: BenchResult[] = [];
  try {
    await populateGraphBench(db.registry, options.shape);
    const pipeline = loadBenchPipeline(dir, options.pipeline);
    let result: Awaited<ReturnType<typeof buildQuantumGraph>> | undefined;
    const file = join(dir, `${tag}.qg`);
    // CPU time besides wall time: on a shared machine the wall time mostly measures the neighbours.
    const buildCpu = process.cpuUsage();
    const buildMs = await timeIt(async () => {
      result = await buildQuantumGraph({
        registry: createGraphRegistry(db.registry),
        pipeline,
        collections: { inputs: ['Bench/raw'], output: `bench/${tag}` },
        provenance: { pipelineYaml: options.pipeline, commandLine: 'bench', repo: 'bench' },
        predictPath: (d) => `${d.run}/${d.datasetType}/${Object.values(d.dataId).join('_')}.fits`,
        log: process.env['BPS_BENCH_LOG'] ? createLogger({ level: process.env['BPS_BENCH_LOG'] }) : createSilentLogger(),
      });
      writeQuantumGraph(file, result.graph);
    });
    const buildCpuS = cpuSeconds(buildCpu);
    const header = result?.graph.header;
    const quanta = header?.quantumCount ?? 0;
    const perTask = header?.tasks.map((t) => `${t.label} ${t.quanta}`).join(', ') ?? '';
    const rss = peakRssMiB();
    // The built graph is dropped before the file is read back: the read is measured on its own.
    result = undefined;
    const bytes = statSync(file).size;
    const readCpu = process.cpuUsage();
    const readMs = await timeIt(async () => readQuantumGraph(file));
    const readCpuS = cpuSeconds(readCpu);
    const oneMs = await timeIt(async () => {
      const reader = openQuantumGraph(file);
      reader.readQuantum(Math.floor(quanta / 2));
      reader.close();
    });
    out.push({ name: `${options.label}: build + write graph (${quanta} quanta)`, backend, value: buildMs / 1000, unit: 's', target: options.buildTarget, lowerIsBetter: true, note: `cpu ${buildCpuS.toFixed(2)} s; ${perTask}` });
    out.push({ name: `${options.label}: read whole graph`, backend, value: readMs / 1000, unit: 's', ...(options.readTarget !== undefined ? { target: options.readTarget } : {}), lowerIsBetter: true, note: `cpu ${readCpuS.toFixed(2)} s; ${(bytes / 2 ** 20).toFixed(1)} MiB file` });
    out.push({ name: `${options.label}: open + read one quantum`, backend, value: oneMs, unit: 'ms', lowerIsBetter: true });
    out.push({ name: `${options.label}: peak RSS after build`, backend, value: rss, unit: 'MiB', ...(options.label.startsWith('1M') ? { target: 4096 } : {}), lowerIsBetter: true });
    rmSync(file, { force: true });
  } finally {
    await db.drop();
  }
  return out;
}

/**
 * Quantum-graph benchmarks of the builder issue: a LoVoCCS-scale step (133 visits × 46
 * detectors = 6,118 raws, 4 tasks, about 6,900 quanta; reference 203.7 s to build, 16.9 s to
 * read) and a big graph: 250,000 quanta by default, `BPS_BENCH_GRAPH_QUANTA=1000000` for the
 * issue's million (with a larger Node heap).
 */
export async function benchGraph(backend: 'sqlite' | 'postgresql', pgUrl?: string): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bps-graph-bench-'));
  const results: BenchResult[] = [];
  try {
    results.push(...(await benchOne({
      backend, pgUrl, dir, tag: 'lovoccs', label: 'LoVoCCS-scale graph', pipeline: LOVOCCS, buildTarget: 2, readTarget: 0.2,
      shape: { visits: 133, detectors: 46, patches: 121, window: 44, perDetector: 3 },
    })));
    // 1,000,000 (BPS_BENCH_GRAPH_QUANTA=1000000) peaks at about 2.3 GiB RSS, within Node's
    // default heap limit on a 64-bit machine; --max-old-space-size=6144 leaves room to spare.
    const wanted = Number(process.env['BPS_BENCH_GRAPH_QUANTA'] ?? 250_000);
    // isr: visits × detectors quanta; detectorWarp: 4 patches per detector → 5 quanta per raw.
    const detectors = 100;
    const visits = Math.max(1, Math.round(wanted / (5 * detectors)));
    results.push(...(await benchOne({
      backend, pgUrl, dir, tag: 'million', label: `${wanted >= 1_000_000 ? '1M' : `${Math.round(wanted / 1000)}k`}-quanta graph`, pipeline: MILLION, buildTarget: 90,
      shape: { visits, detectors, patches: 64, window: 16, perDetector: 4 },
    })));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
