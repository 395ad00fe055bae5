import type { FileDatastoreOptions } from '../datastore/index.js';
import type { QuantumOutcome } from './run-quantum.js';

/** What a worker needs to start (passed in its environment). */
export interface WorkerInit {
  readonly graphPath: string;
  readonly datastore: FileDatastoreOptions;
  readonly clobber: boolean;
}

/** Parent → worker. */
export type WorkerRequest = { type: 'run'; index: number } | { type: 'stop' };

/** Worker → parent. */
export type WorkerReply = { type: 'ready' } | { type: 'done'; outcome: QuantumOutcome };
