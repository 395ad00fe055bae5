/**
 * A local execution worker: a child process that runs quanta of one graph, one at a time, on
 * request of the parent (see local-executor.ts). Messages: in `{ type: 'run', index }`, out
 * `{ type: 'done', outcome }`.
 */
import { FileDatastore } from '../datastore/index.js';
import { openQuantumGraph } from '../graph/index.js';
import { runQuantum } from './run-quantum.js';
import type { WorkerInit, WorkerRequest, WorkerReply } from './worker-protocol.js';

const init = JSON.parse(process.env['BPS_WORKER_INIT'] ?? '{}') as WorkerInit;
const graph = await openQuantumGraph(init.graphPath);
const datastore = new FileDatastore(init.datastore);

process.on('message', (message: WorkerRequest) => {
  if (message.type === 'stop') {
    process.exit(0);
  }
  void (async () => {
    const quantum = await graph.readQuantum(message.index);
    const outcome = await runQuantum({ header: graph.header, quantum, datastore, clobber: init.clobber });
    const reply: WorkerReply = { type: 'done', outcome };
    process.send?.(reply);
  })().catch((err: unknown) => {
    process.stderr.write(`worker: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(70);
  });
});
// The parent is gone (killed, or done without saying stop): nothing will collect our results.
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' } satisfies WorkerReply);
