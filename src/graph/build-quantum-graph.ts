import { hostname, userInfo } from 'node:os';
import { UsageError } from '../errors/index.js';
import type { PipelineGraph } from '../pipeline/index.js';
import type { BindValues, DatasetRef, StoredDatasetType } from '../registry/index.js';
import { createSilentLogger, type Logger } from '../util/index.js';
import { assembleQuanta, type PredictPath } from './assemble-quanta.js';
import { planBuild, type BuildPlan, type PlannedDatasetType } from './build-plan.js';
import { explainEmptyGraph } from './explain-empty-graph.js';
import { DatasetTypeCache } from './find-existing.js';
import { EmptyGraphError, GraphBuildError } from './graph-errors.js';
import type { GraphRegistry } from './graph-registry.js';
import { QUANTUM_GRAPH_FORMAT_VERSION, type GraphDatasetTypeInfo, type QuantumGraph } from './quantum-graph-types.js';
import { keyOf, QuantumSkeleton } from './quantum-skeleton.js';
import { resolveCollections, type CollectionOptions, type ResolvedCollections } from './resolve-collections.js';
import { resolveQuanta, type TaskStats } from './resolve-quanta.js';

/** Which overall inputs constrain the data-ID query (`--dataset-query-constraint`). */
export type DatasetQueryConstraint = 'all' | 'off' | readonly string[];

/** Where the graph came from, recorded in its header. */
export interface GraphProvenance {
  /** The expanded pipeline as YAML. */
  readonly pipelineYaml: string;
  readonly commandLine: string;
  /** Repository path or URL. */
  readonly repo: string;
  readonly user?: string;
  readonly host?: string;
}

/** Progress of a build, for a progress bar. */
export interface BuildProgress {
  readonly phase: 'query' | 'resolve' | 'assemble';
  readonly rows?: number;
  readonly tasksDone?: number;
  readonly tasks?: number;
}

/** Options of {@link buildQuantumGraph}. */
export interface BuildQuantumGraphOptions {
  readonly registry: GraphRegistry;
  readonly pipeline: PipelineGraph;
  readonly collections: CollectionOptions;
  readonly where?: string;
  readonly bind?: BindValues;
  /** Data-ID constraints added to the where-clause (the pipeline's instrument is added when known). */
  readonly dataId?: Readonly<Record<string, unknown>>;
  readonly datasetQueryConstraint?: DatasetQueryConstraint;
  readonly clobberOutputs?: boolean;
  /** Datastore path of each predicted output (the CLI passes the repository's file templates). */
  readonly predictPath?: PredictPath;
  readonly provenance: GraphProvenance;
  readonly log?: Logger;
  readonly onProgress?: (progress: BuildProgress) => void;
  /**
   * Rows per batch of the data-ID query where each batch re-runs the join (PostgreSQL): default
   * 1,000,000, as fewer, larger batches are faster; a row costs a few hundred bytes. SQLite
   * streams one statement in small batches whatever this is.
   */
  readonly batchSize?: number;
}

/** A built graph with what the build learned on the way. */
export interface BuildQuantumGraphResult {
  readonly graph: QuantumGraph;
  readonly stats: readonly TaskStats[];
  readonly collections: ResolvedCollections;
  /** Rows of the data-ID query. */
  readonly rowCount: number;
  readonly durationMs: number;
}

/**
 * Builds a quantum graph: checks the collection rules, runs one streamed data-ID query over the
 * union of the pipeline's dimensions (constrained by the where-clause, the pipeline's
 * instrument, spatial overlaps and existing overall inputs), projects the rows onto each task's
 * dimensions, resolves inputs, skips and prerequisites in batched lookups, and returns the
 * graph. Writes nothing to the registry. An empty result is an {@link EmptyGraphError} that
 * says which constraint emptied it.
 */
export async function buildQuantumGraph(options: BuildQuantumGraphOptions): Promise<BuildQuantumGraphResult> {
  const started = Date.now();
  const { registry, pipeline } = options;
  const log = options.log ?? createSilentLogger();
  const plan = planBuild(pipeline, registry.universe);
  const collections = await resolveCollections(registry, options.collections);
  for (const note of collections.notes) log.info({ note }, note);
  const types = new DatasetTypeCache(registry);
  await checkRegisteredTypes(plan, types, log);
  const dataId = { ...(await instrumentDataId(registry, pipeline)), ...(options.dataId ?? {}) };
  const constraintTypes = pickConstraintTypes(plan, pipeline, options.datasetQueryConstraint ?? 'all');
  const where = options.where ?? '';
  const bind = options.bind ?? {};
  log.info({ tasks: plan.tasks.map((t) => t.task.label), dimensions: plan.queryDimensions, dataId, where, datasets: constraintTypes, inputs: collections.searchPath, outputRun: collections.outputRun }, `Querying data IDs over {${plan.queryDimensions.join(', ')}} for ${plan.tasks.length} task(s)`);
  const unregistered = [];
  for (const t of constraintTypes) if ((await types.get(t)) === undefined) unregistered.push(t);
  // Existing overall inputs constrain the rows in memory: one plain scan per type is far
  // cheaper than a correlated EXISTS per row, and gives the refs the inputs need anyway.
  const prefetched = new Map<string, Map<string, DatasetRef>>();
  if (unregistered.length === 0) {
    for (const name of constraintTypes) {
      const type = plan.datasetTypesByName.get(name) as PlannedDatasetType;
      const refs = await registry.queryDatasets({ datasetType: (await types.get(name)) as StoredDatasetType, collections: collections.searchPath });
      prefetched.set(name, new Map(refs.map((r) => [keyOf(type.dims, r.dataId), r])));
      log.debug({ datasetType: name, found: refs.length }, `Found ${refs.length} overall-input dataset(s) of type '${name}'.`);
    }
  }
  const skeleton = new QuantumSkeleton(plan, [...prefetched].map(([name, keys]) => ({ dims: (plan.datasetTypesByName.get(name) as PlannedDatasetType).dims, keys })));
  if (unregistered.length === 0 && [...prefetched.values()].every((m) => m.size > 0)) {
    for await (const rows of registry.streamDataIds({ dimensions: plan.queryDimensions, where, bind, dataId }, options.batchSize ?? 1_000_000)) {
      skeleton.addRows(rows);
      options.onProgress?.({ phase: 'query', rows: skeleton.rowCount });
    }
  }
  skeleton.finishRows();
  log.debug({ rows: skeleton.rowCount, candidates: skeleton.slotCount, datasets: skeleton.nodeCount }, 'data-ID query done');
  const explain = async (stats?: TaskStats[]): Promise<never> => {
    const reasons = await explainEmptyGraph({ registry, types, plan, searchPath: collections.searchPath, skipExistingIn: collections.skipExistingIn, where, bind, dataId, constraintTypes, rowCount: skeleton.rowCount, ...(stats ? { stats } : {}) });
    throw new EmptyGraphError(`The quantum graph is empty: ${reasons.map((r) => r.reason).join('; ')}.`, {
      reasons: reasons.map((r) => r.reason),
      hint: `Check with: ${reasons.map((r) => r.command).join('  |  ')}`,
    });
  };
  if (skeleton.rowCount === 0) await explain();
  const resolved = await resolveQuanta({
    registry, types, skeleton, collections, prefetched, clobberOutputs: options.clobberOutputs ?? false, log,
    onTask: (_s, i) => options.onProgress?.({ phase: 'resolve', tasksDone: i + 1, tasks: plan.tasks.length }),
  });
  if (resolved.stats.every((s) => s.quanta === 0)) await explain(resolved.stats);
  prefetched.clear();
  skeleton.releaseKeys();
  options.onProgress?.({ phase: 'assemble' });
  const assembled = await assembleQuanta({ registry, types, pipeline, skeleton, resolved, collections, ...(options.predictPath ? { predictPath: options.predictPath } : {}) });
  const graph: QuantumGraph = {
    header: {
      formatVersion: QUANTUM_GRAPH_FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      user: options.provenance.user ?? safeUser(),
      host: options.provenance.host ?? hostname(),
      commandLine: options.provenance.commandLine,
      repo: options.provenance.repo,
      inputCollections: collections.inputs,
      outputCollection: collections.outputCollection,
      outputRun: collections.outputRun,
      pipelineYaml: options.provenance.pipelineYaml,
      tasks: assembled.tasks,
      datasetTypes: datasetTypeInfos(plan, pipeline),
      globalInitOutputs: assembled.globalInitOutputs,
      quantumCount: assembled.quanta.length,
      datasetCount: assembled.datasetCount,
    },
    quanta: assembled.quanta,
  };
  const durationMs = Date.now() - started;
  log.info({ stage: 'qg build', durationMs, quanta: graph.header.quantumCount, tasks: plan.tasks.length, datasets: graph.header.datasetCount, rows: skeleton.rowCount }, `QuantumGraph contains ${graph.header.quantumCount} quanta for ${plan.tasks.length} tasks`);
  return { graph, stats: resolved.stats, collections, rowCount: skeleton.rowCount, durationMs };
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? 'unknown';
  }
}

/** The registry's name for the pipeline's instrument (matched by class path or name), as a data-ID constraint. */
async function instrumentDataId(registry: GraphRegistry, pipeline: PipelineGraph): Promise<Record<string, string>> {
  const wanted = pipeline.instrument;
  if (wanted === undefined || wanted === '') return {};
  const short = wanted.split('.').pop() ?? wanted;
  const records = await registry.queryDimensionRecords({ element: 'instrument' });
  const hit = records.find((r) => r['class_name'] === wanted) ?? records.find((r) => r['name'] === wanted || r['name'] === short);
  if (hit === undefined) {
    throw new GraphBuildError(`The pipeline's instrument "${wanted}" is not registered in ${registry.displayUrl} (registered: ${records.map((r) => `"${String(r['name'])}"`).join(', ') || 'none'}).`, {
      hint: 'Register it with `butler-ts register-instrument REPO NAME`, or replace the pipeline instrument with --instrument.',
    });
  }
  return { instrument: String(hit['name']) };
}

function pickConstraintTypes(plan: BuildPlan, pipeline: PipelineGraph, constraint: DatasetQueryConstraint): string[] {
  const overall = plan.tasks.flatMap((t) => t.inputs).filter((c) => c.type.producer === undefined);
  if (constraint === 'off') return [];
  if (constraint === 'all') {
    const names = overall.filter((c) => !c.connection.deferGraphConstraint && c.type.dims.required.length > 0).map((c) => c.type.name);
    return [...new Set(names)];
  }
  for (const name of constraint) {
    if (!overall.some((c) => c.type.name === name)) {
      throw new UsageError(`--dataset-query-constraint names "${name}", which is not an overall input of the pipeline.`, {
        hint: `Overall inputs: ${pipeline.overallInputs.join(', ') || 'none'}; or use "all" or "off".`,
      });
    }
  }
  return [...new Set(constraint)];
}

/** Dataset types registered with other dimensions than the pipeline says are an error; other storage classes a warning. */
async function checkRegisteredTypes(plan: BuildPlan, types: DatasetTypeCache, log: Logger): Promise<void> {
  for (const type of plan.datasetTypes) {
    const stored = await types.get(type.name);
    if (stored === undefined) continue;
    if (!sameSet(stored.dimensions, type.dims.required)) {
      throw new GraphBuildError(`Dataset type "${type.name}" is registered with dimensions [${stored.dimensions.join(', ')}], but the pipeline uses it with [${type.dims.required.join(', ')}].`, {
        hint: 'Rename the connection with -c <label>:connections.<name>=<new type>, or fix the task catalog entry.',
      });
    }
    if (stored.storageClass !== type.storageClass) {
      log.warn({ datasetType: type.name, registered: stored.storageClass, pipeline: type.storageClass }, `Dataset type "${type.name}" is registered with storage class ${stored.storageClass}; the pipeline says ${type.storageClass}.`);
    }
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function datasetTypeInfos(plan: BuildPlan, pipeline: PipelineGraph): GraphDatasetTypeInfo[] {
  return [...pipeline.datasetTypes.values()].map((d) => ({
    name: d.name,
    dimensions: plan.datasetTypesByName.get(d.name)?.dims.required ?? d.dimensions,
    storageClass: d.storageClass,
    isCalibration: d.isCalibration,
  }));
}
