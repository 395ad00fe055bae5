import { InvalidInputError, type BpsErrorOptions } from '../errors/index.js';

/**
 * Clustering cannot follow the configuration: a task in two clusters, clusters that depend on
 * each other, a quantum without a clustering dimension, bad partition settings. `key` is the
 * config key path (`cluster.<label>.<setting>`), `file` where it was set.
 */
export class ClusterError extends InvalidInputError {
  readonly clusterLabel: string | undefined;

  constructor(message: string, options: BpsErrorOptions & { file?: string; key?: string; clusterLabel?: string } = {}) {
    super(message, options);
    this.clusterLabel = options.clusterLabel;
  }
}
