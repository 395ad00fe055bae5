import { searchList, searchNumber, searchString, type BpsConfig } from '../config/index.js';
import { ClusterError } from './cluster-error.js';

/** How a dimension cluster finds the rest of its quanta from its source or sink quanta. */
export const FindDependencyMethod = ['source', 'sink'] as const;
/** One of {@link FindDependencyMethod}. */
export type FindDependencyMethod = (typeof FindDependencyMethod)[number];

/** One `cluster.<label>` section. */
export interface ClusterDefinition {
  readonly label: string;
  readonly pipetasks: readonly string[];
  readonly dimensions: readonly string[];
  /** Pairs of dimensions holding the same values (`visit:exposure`). */
  readonly equalDimensions: readonly (readonly [string, string])[];
  readonly partitionDimensions: readonly string[];
  readonly partitionMaxClusters: number | undefined;
  readonly partitionMaxSize: number | undefined;
  readonly findDependencyMethod: FindDependencyMethod | undefined;
  /** `clusterTemplate`, unsubstituted (its fields are data-ID values). */
  readonly clusterTemplate: string | undefined;
  /** File that defined the section. */
  readonly file: string | undefined;
}

/** Reads every `cluster.<label>` section, in file order, checking each setting. */
export function readClusterDefinitions(config: BpsConfig): ClusterDefinition[] {
  return config.sectionNames('cluster').map((label) => readDefinition(config, label));
}

function readDefinition(config: BpsConfig, label: string): ClusterDefinition {
  const section = `cluster.${label}`;
  const file = config.originOf(section);
  const fail = (key: string, message: string, hint: string): never => {
    throw new ClusterError(`cluster '${label}'${file ? ` (${file})` : ''}: ${message}`, { key: `${section}.${key}`, ...(file ? { file } : {}), clusterLabel: label, hint });
  };
  if (typeof config.raw(section) !== 'object' || config.raw(section) === null || Array.isArray(config.raw(section))) {
    fail('', `expected a mapping of settings, got ${JSON.stringify(config.raw(section))}`, 'write pipetasks:, dimensions: ... under the cluster label');
  }
  const at = (key: string): string => `.${section}.${key}`;
  const pipetasks = searchList(config, at('pipetasks')) ?? [];
  if (pipetasks.length === 0) fail('pipetasks', 'no pipetasks given', 'list the task labels of the cluster, e.g. pipetasks: isr, calibrateImage');
  const equalDimensions = (searchList(config, at('equalDimensions')) ?? []).map((pair) => {
    const parts = pair.split(':').map((p) => p.trim());
    if (parts.length !== 2 || parts.some((p) => p === '')) fail('equalDimensions', `'${pair}' is not a dimA:dimB pair`, 'write e.g. equalDimensions: visit:exposure');
    return [parts[0]!, parts[1]!] as const;
  });
  const partitionDimensions = searchList(config, at('partitionDimensions')) ?? [];
  const partitionMaxClusters = searchNumber(config, at('partitionMaxClusters'), { integer: true, min: 1 }) || undefined;
  const partitionMaxSize = searchNumber(config, at('partitionMaxSize'), { integer: true, min: 1 }) || undefined;
  if (partitionDimensions.length > 0 && partitionMaxClusters === undefined && partitionMaxSize === undefined) {
    fail('partitionDimensions', 'partitionDimensions is set but neither partitionMaxClusters nor partitionMaxSize', 'add partitionMaxClusters (number of jobs wanted) or partitionMaxSize (values per job)');
  }
  if (partitionMaxClusters !== undefined && partitionMaxSize !== undefined) {
    fail('partitionMaxSize', 'both partitionMaxClusters and partitionMaxSize are set', 'keep only one of them');
  }
  const method = searchString(config, at('findDependencyMethod'));
  if (method !== undefined && !(FindDependencyMethod as readonly string[]).includes(method)) {
    fail('findDependencyMethod', `invalid findDependencyMethod '${method}'`, `use one of: ${FindDependencyMethod.join(', ')}`);
  }
  const template = config.search(at('clusterTemplate'), { replaceVars: false, expandEnvVars: false });
  return {
    label,
    pipetasks,
    dimensions: searchList(config, at('dimensions')) ?? [],
    equalDimensions,
    partitionDimensions,
    partitionMaxClusters,
    partitionMaxSize,
    findDependencyMethod: method as FindDependencyMethod | undefined,
    clusterTemplate: typeof template === 'string' && template !== '' ? template : undefined,
    file,
  };
}
