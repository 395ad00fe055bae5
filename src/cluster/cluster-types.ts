/** A data-ID value as clusters and jobs carry it. */
export type TagValue = string | number;

/**
 * What a job asks of the batch system. Memory in MiB, walltime in seconds. A `null`
 * `memoryMultiplier` means no automatic memory scaling between retries.
 */
export interface JobResources {
  readonly requestCpus: number;
  readonly requestMemory: number;
  /** Seconds; `null` when no walltime is set (the site decides). */
  readonly requestWalltime: number | null;
  readonly numberOfRetries: number;
  readonly memoryMultiplier: number | null;
  /** Cap of memory scaling (`requestMemoryMax`, at most `memoryLimit`); `null` without scaling. */
  readonly requestMemoryMax: number | null;
  readonly memoryLimit: number | null;
  /** Exit codes that are not retried. */
  readonly retryUnlessExit: readonly number[];
}

/** A group of quanta that runs as one job. */
export interface QuantaCluster {
  /** Unique within the graph; from `clusterTemplate` / `templateDataId` (`/` replaced by `_`). */
  readonly name: string;
  /** Cluster label (dimension clusters) or task label (single-quantum clusters). */
  readonly label: string;
  /** Data-ID values: the clustering dimensions, or the quantum's data ID. */
  readonly tags: Readonly<Record<string, TagValue>>;
  /** Indexes of the quanta in the graph, ascending. */
  readonly quanta: readonly number[];
  /** Number of quanta per task label. */
  readonly quantaCounts: Readonly<Record<string, number>>;
  readonly resources: JobResources;
  /** Indexes (in {@link ClusteredQuantumGraph.clusters}) of the clusters this one depends on. */
  readonly parents: readonly number[];
}

/** The clustering algorithm used (`clusterAlgorithm`). */
export const ClusterAlgorithm = ['single', 'dimension'] as const;
/** One of {@link ClusterAlgorithm}. */
export type ClusterAlgorithm = (typeof ClusterAlgorithm)[number];

/** A quantum graph grouped into clusters, in topological order (parents first). */
export interface ClusteredQuantumGraph {
  readonly name: string;
  readonly algorithm: ClusterAlgorithm;
  readonly clusters: readonly QuantaCluster[];
}

/** Counts reported by the cluster stage. */
export interface ClusterCounts {
  readonly quanta: number;
  readonly clusters: number;
  readonly dependencies: number;
  /** Clusters per label. */
  readonly clustersByLabel: Readonly<Record<string, number>>;
}
