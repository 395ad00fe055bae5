/**
 * Clustering: groups the quanta of a quantum graph into clusters, one per batch job, with the
 * reference's (ctrl_bps) algorithms and settings: one quantum per job (default), or
 * `cluster.<label>` sections with `pipetasks`, `dimensions`, `equalDimensions`,
 * `partitionDimensions` + `partitionMaxClusters`/`partitionMaxSize`, `findDependencyMethod`
 * and `clusterTemplate`. Each cluster carries its job resources and its parent clusters.
 * Pure: sees only the graph and the configuration.
 *
 * Typical use: `clusterQuantumGraph({ graph, config })` → {@link ClusterQuantumGraphResult}.
 * @packageDocumentation
 */

/** The cluster stage. */
export { clusterQuantumGraph, readClusterAlgorithm } from './cluster-quantum-graph.js';
export type { ClusterQuantumGraphOptions, ClusterQuantumGraphResult } from './cluster-quantum-graph.js';
/** Clusters, the clustered graph, job resources and stage counts. */
export { ClusterAlgorithm } from './cluster-types.js';
export type { ClusterCounts, ClusteredQuantumGraph, JobResources, QuantaCluster, TagValue } from './cluster-types.js';
/** Cluster definitions as read from `cluster.<label>` sections. */
export { readClusterDefinitions, FindDependencyMethod } from './read-cluster-definitions.js';
export type { ClusterDefinition } from './read-cluster-definitions.js';
/** Partition sizes of the reference's partitioning rule. */
export { partitionSizes } from './partition-values.js';
/** Job resources from the config (also used for the init and final jobs). */
export { readResourceSettings, readSectionResources, finishResources, ResourceAccumulator, DEFAULT_MEMORY_RETRIES } from './job-resources.js';
export type { ResourceSettings } from './job-resources.js';
/** Cluster-name templates (`{label}_{visit}`, `{node_number}`). */
export { formatClusterName } from './format-cluster-name.js';
/** The error raised when clustering cannot follow the configuration. */
export { ClusterError } from './cluster-error.js';
