import { formatDataId, listReferencedDimensions, prepareWhereClause, type BindValues } from '../registry/index.js';
import type { BuildPlan } from './build-plan.js';
import type { DatasetTypeCache } from './find-existing.js';
import type { GraphRegistry } from './graph-registry.js';
import type { TaskStats } from './resolve-quanta.js';

/** One reason a graph came out empty, with a command the user can run to check it. */
export interface EmptyGraphReason {
  readonly reason: string;
  readonly command: string;
}

/** Options of {@link explainEmptyGraph}. */
export interface ExplainEmptyGraphOptions {
  readonly registry: GraphRegistry;
  readonly types: DatasetTypeCache;
  readonly plan: BuildPlan;
  readonly searchPath: readonly string[];
  readonly skipExistingIn: readonly string[];
  readonly where: string;
  readonly bind: BindValues;
  readonly dataId: Readonly<Record<string, unknown>>;
  /** Overall inputs that constrained the data-ID query. */
  readonly constraintTypes: readonly string[];
  /** Rows the data-ID query returned. */
  readonly rowCount: number;
  /** Per-task counts when rows were found but every quantum was dropped. */
  readonly stats?: readonly TaskStats[];
}

const SPATIAL_PAIRS: readonly (readonly string[])[] = [['visit', 'tract'], ['visit', 'patch'], ['visit', 'detector', 'patch']];

/**
 * Finds which constraint emptied a graph, by re-running smaller queries: datasets missing from
 * the collections, a where-clause matching no data IDs of some dimension, no spatial overlap
 * between visits and tracts/patches, inputs not matching the where-clause, or (when data IDs
 * were found) the inputs and skipped quanta that dropped every quantum of each task.
 */
export async function explainEmptyGraph(options: ExplainEmptyGraphOptions): Promise<EmptyGraphReason[]> {
  const reasons: EmptyGraphReason[] = options.rowCount === 0 ? await explainNoRows(options) : [];
  if (options.rowCount > 0) reasons.push(...explainPruned(options));
  if (reasons.length === 0) {
    reasons.push({
      reason: `the data-ID query over {${options.plan.queryDimensions.join(', ')}} returned no rows`,
      command: queryDataIdsCommand(options, options.plan.queryDimensions, options.constraintTypes),
    });
  }
  return reasons;
}

async function explainNoRows(options: ExplainEmptyGraphOptions): Promise<EmptyGraphReason[]> {
  const { registry, searchPath } = options;
  const reasons: EmptyGraphReason[] = [];
  for (const name of options.constraintTypes) {
    const stored = await options.types.get(name);
    const found = stored ? await registry.queryDatasets({ datasetType: stored, collections: searchPath, limit: 1 }) : [];
    if (found.length === 0) {
      reasons.push({
        reason: stored ? `no datasets of type '${name}' in collections [${searchPath.join(', ')}]` : `dataset type '${name}' is not registered, so no '${name}' datasets exist`,
        command: `butler-ts query-datasets REPO ${name} --collections ${searchPath.join(',')}`,
      });
    }
  }
  if (reasons.length > 0) return reasons;
  const has = async (dims: readonly string[], types: readonly string[] = []): Promise<boolean | undefined> => {
    try {
      const rows = await registry.queryDataIds({
        dimensions: dims,
        where: options.where,
        bind: options.bind,
        dataId: options.dataId,
        ...(types.length > 0 ? { datasets: { types, collections: searchPath } } : {}),
        orderBy: [],
        limit: 1,
      });
      return rows.length > 0;
    } catch {
      return undefined;
    }
  };
  const constrained = options.where.trim() !== '';
  const filter = `the where-clause "${options.where}"`;
  const whereDims = whereDimensions(options);
  const referenced = options.registry.universe.dimensionNames.filter((d) => whereDims.includes(d) || options.dataId[d] !== undefined);
  if (referenced.length > 0 && (await has(referenced)) === false) {
    const named = whereDims.length > 0 ? whereDims : referenced;
    const what = named.length === 1 ? `dimension '${named[0] ?? ''}'` : `dimensions {${named.join(', ')}}`;
    const by = constrained ? filter : `data ID ${formatDataId(options.dataId)}`;
    return [{ reason: `${by} matched no data IDs of ${what}`, command: queryDataIdsCommand(options, referenced, []) }];
  }
  for (const d of options.plan.queryDimensions) {
    if (referenced.includes(d)) continue;
    const rows = await registry.queryDataIds({ dimensions: [d], dataId: pick(options.dataId, registry.universe.group([d]).names), orderBy: [], limit: 1 }).catch(() => undefined);
    if (rows !== undefined && rows.length === 0) {
      reasons.push({ reason: `the repository has no data IDs of dimension '${d}'${options.dataId['instrument'] !== undefined && registry.universe.group([d]).names.includes('instrument') ? ` for instrument '${String(options.dataId['instrument'])}'` : ''}`, command: `butler-ts query-dimension-records REPO ${d}` });
    }
  }
  if (reasons.length > 0) return reasons;
  const dims = new Set(options.plan.queryDimensions);
  for (const pair of SPATIAL_PAIRS) {
    if (!pair.every((d) => dims.has(d))) continue;
    if ((await has(pair)) === false) {
      const sky = pair[pair.length - 1] as string;
      reasons.push({
        reason: `no overlap between the selected visits${pair.includes('detector') ? ' (detector regions)' : ''} and the selected ${sky === 'tract' ? 'tracts' : 'patches'}${constrained ? ` (${filter})` : ''}: the ${pair.includes('detector') ? 'visit_detector_region' : 'visit'}/${sky} overlap table has no matching rows`,
        command: queryDataIdsCommand(options, pair, []),
      });
      return reasons;
    }
  }
  for (const name of options.constraintTypes) {
    const stored = await options.types.get(name);
    if (!stored || stored.dimensions.length === 0) continue;
    if ((await has(stored.dimensions, [name])) === false) {
      reasons.push({
        reason: `no '${name}' datasets in [${searchPath.join(', ')}] match ${constrained ? filter : 'the data IDs of the other dimensions'}`,
        command: `butler-ts query-datasets REPO ${name} --collections ${searchPath.join(',')}${options.where.trim() ? ` --where "${options.where}"` : ''}`,
      });
    }
  }
  return reasons;
}

function explainPruned(options: ExplainEmptyGraphOptions): EmptyGraphReason[] {
  const reasons: EmptyGraphReason[] = [];
  for (const s of options.stats ?? []) {
    if (s.quanta > 0) continue;
    for (const [type, count] of s.missingInputs) {
      const produced = options.plan.datasetTypesByName.get(type)?.producer;
      reasons.push({
        reason: `all ${count} candidate quanta of task '${s.label}' lacked input '${type}'${produced ? ` (its producer '${produced}' had no quanta for them)` : ` (not found in [${options.searchPath.join(', ')}])`}`,
        command: `butler-ts query-datasets REPO ${type} --collections ${options.searchPath.join(',')}${options.where.trim() ? ` --where "${options.where}"` : ''}`,
      });
    }
    if (s.skipped > 0) {
      reasons.push({
        reason: `${s.skipped} quanta of task '${s.label}' were skipped because their '${s.label}_metadata' exists in [${options.skipExistingIn.join(', ')}]`,
        command: `butler-ts query-datasets REPO ${s.label}_metadata --collections ${options.skipExistingIn.join(',')}`,
      });
    }
  }
  return reasons;
}

function queryDataIdsCommand(options: ExplainEmptyGraphOptions, dims: readonly string[], types: readonly string[]): string {
  const parts = [`butler-ts query-data-ids REPO ${dims.join(' ')}`];
  if (options.where.trim()) parts.push(`--where "${options.where}"`);
  const dataId = Object.entries(options.dataId).map(([k, v]) => `${k}=${String(v)}`).join(',');
  if (dataId) parts.push(`--data-id ${dataId}`);
  if (types.length > 0) parts.push(`--datasets ${types.join(' ')} --collections ${options.searchPath.join(',')}`);
  return parts.join(' ');
}

/** Dimensions the where-clause constrains (empty when blank or when it does not parse). */
function whereDimensions(options: ExplainEmptyGraphOptions): string[] {
  if (options.where.trim() === '') return [];
  const universe = options.registry.universe;
  try {
    const prepared = prepareWhereClause({ expression: options.where, bind: options.bind, universe, dimensions: options.plan.queryDimensions });
    const names = new Set(listReferencedDimensions(universe, prepared.references));
    return universe.dimensionNames.filter((d) => names.has(d));
  } catch {
    return [];
  }
}

function pick(dataId: Readonly<Record<string, unknown>>, names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(dataId).filter(([k]) => names.includes(k)));
}
