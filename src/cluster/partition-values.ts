import { ClusterError } from './cluster-error.js';
import type { TagValue } from './cluster-types.js';
import type { ClusterDefinition } from './read-cluster-definitions.js';

/** Sizes of the partitions of `count` sorted values (the reference's rule). */
export function partitionSizes(def: Pick<ClusterDefinition, 'label' | 'partitionMaxClusters' | 'partitionMaxSize' | 'file'>, count: number, groups: number): number[] {
  if (def.partitionMaxClusters !== undefined) {
    if (groups > def.partitionMaxClusters) {
      throw new ClusterError(`cluster '${def.label}': partitionMaxClusters (${def.partitionMaxClusters}) is smaller than the number of clusters before partitioning (${groups})`, {
        key: `cluster.${def.label}.partitionMaxClusters`, clusterLabel: def.label, ...(def.file ? { file: def.file } : {}),
        hint: `raise partitionMaxClusters to at least ${groups}, or cluster on fewer dimensions`,
      });
    }
    // floor(maxClusters / groups) partitions; the first `remainder` hold one value more.
    const chunks = Math.floor(def.partitionMaxClusters / groups);
    const size = Math.floor(count / chunks);
    const remainder = count % chunks;
    const sizes: number[] = [];
    for (let i = 0; i < chunks; i++) {
      const s = size + (i < remainder ? 1 : 0);
      if (s > 0) sizes.push(s);
    }
    return sizes;
  }
  const size = def.partitionMaxSize ?? count;
  const sizes: number[] = [];
  for (let left = count; left > 0; left -= size) sizes.push(Math.min(size, left));
  return sizes;
}

/**
 * Sorts every partition value of a cluster label (numbers numerically, then strings) and
 * gives each the 1-based id of its partition, so a value falls in the same partition in every
 * cluster of the label.
 */
export function assignPartitions(def: ClusterDefinition, values: ReadonlyMap<string, readonly TagValue[]>, groups: number): Map<string, number> {
  const keys = [...values.keys()].sort((a, b) => compareTuples(values.get(a)!, values.get(b)!));
  const sizes = partitionSizes(def, keys.length, groups);
  const out = new Map<string, number>();
  let k = 0;
  sizes.forEach((size, i) => {
    for (let j = 0; j < size; j++) out.set(keys[k++]!, i + 1);
  });
  return out;
}

function compareTuples(a: readonly TagValue[], b: readonly TagValue[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}
