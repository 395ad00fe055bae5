import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterQuantumGraph, type ClusteredQuantumGraph } from '../cluster/index.js';
import type { BpsConfig } from '../config/index.js';
import { InvalidInputError } from '../errors/index.js';
import type { QuantumGraph } from '../graph/index.js';
import type { StageCounts } from './stage-log.js';

/** The clustered-graph file of a submit directory. */
export function clusteredGraphFile(submitPath: string, name: string): string {
  return join(submitPath, `${name}.clustered.json`);
}

/** The cluster stage: reuses `<name>.clustered.json` when present, else clusters the graph and writes it. */
export async function clusterStage(options: { config: BpsConfig; submitPath: string; name: string; graph: () => QuantumGraph }): Promise<{ value: ClusteredQuantumGraph; counts: StageCounts }> {
  const file = clusteredGraphFile(options.submitPath, options.name);
  if (existsSync(file)) {
    let clustered: ClusteredQuantumGraph;
    try {
      clustered = JSON.parse(readFileSync(file, 'utf8')) as ClusteredQuantumGraph;
    } catch (err) {
      throw new InvalidInputError(`cannot read clustered graph ${file}: ${(err as Error).message}`, { file, cause: err, hint: 'delete the file to cluster again' });
    }
    return { value: clustered, counts: { clusters: clustered.clusters.length, algorithm: clustered.algorithm, reused: true } };
  }
  const { clustered, counts } = clusterQuantumGraph({ graph: options.graph(), config: options.config, name: options.name });
  writeFileSync(`${file}.tmp`, JSON.stringify(clustered));
  renameSync(`${file}.tmp`, file);
  return { value: clustered, counts: { quanta: counts.quanta, clusters: counts.clusters, dependencies: counts.dependencies, algorithm: clustered.algorithm } };
}
