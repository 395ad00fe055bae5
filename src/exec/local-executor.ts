import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileDatastoreOptions } from '../datastore/index.js';
import type { Quantum } from '../graph/index.js';
import type { QuantumOutcome } from './run-quantum.js';
import type { WorkerInit, WorkerReply, WorkerRequest } from './worker-protocol.js';

/** Options of {@link executeQuanta}. */
export interface ExecuteQuantaOptions {
  graphPath: string;
  /** Quanta of the graph (index, upstream, label, data ID are used). */
  quanta: readonly Pick<Quantum, 'index' | 'id' | 'upstream' | 'taskLabel' | 'dataId'>[];
  datastore: FileDatastoreOptions;
  /** Number of worker processes. */
  jobs: number;
  clobber?: boolean;
  onOutcome?: (outcome: QuantumOutcome, done: number, total: number) => void;
}

/** Result of a local execution. */
export interface ExecutionResult {
  readonly outcomes: readonly QuantumOutcome[];
  /** Quanta not run because an upstream quantum failed: index → index of the failed quantum. */
  readonly blocked: ReadonlyMap<number, number>;
}

/** The compiled worker script (dist/exec/), found from this module compiled, bundled into dist/cli/, or run from source. */
function workerScript(): string {
  const here = fileURLToPath(import.meta.url);
  const script = here.endsWith('.ts') ? resolve(dirname(here), '../../dist/exec/worker-main.js') : resolve(dirname(here), '../exec/worker-main.js');
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\``);
  return script;
}

/**
 * Runs quanta in dependency order on `jobs` worker processes. A failed quantum blocks its
 * descendants; a worker that dies takes only its current quantum with it (recorded as failed)
 * and is replaced.
 */
export function executeQuanta(options: ExecuteQuantaOptions): Promise<ExecutionResult> {
  const total = options.quanta.length;
  const byIndex = new Map(options.quanta.map((q) => [q.index, q]));
  const children = new Map<number, number[]>();
  const waiting = new Map<number, number>();
  for (const q of options.quanta) {
    waiting.set(q.index, q.upstream.length);
    for (const up of q.upstream) children.set(up, [...(children.get(up) ?? []), q.index]);
  }
  const ready = options.quanta.filter((q) => q.upstream.length === 0).map((q) => q.index);
  const outcomes: QuantumOutcome[] = [];
  const blocked = new Map<number, number>();
  const init: WorkerInit = { graphPath: options.graphPath, datastore: options.datastore, clobber: Boolean(options.clobber) };
  const script = workerScript();

  return new Promise((resolvePromise) => {
    const busy = new Map<ChildProcess, number>();
    const workers = new Set<ChildProcess>();
    const started = new Set<ChildProcess>();
    let finished = false;
    const settled = (): number => outcomes.length + blocked.size;

    const block = (failed: number): void => {
      const stack = [...(children.get(failed) ?? [])];
      while (stack.length) {
        const c = stack.pop() as number;
        if (blocked.has(c)) continue;
        blocked.set(c, failed);
        stack.push(...(children.get(c) ?? []));
      }
    };
    const record = (outcome: QuantumOutcome): void => {
      outcomes.push(outcome);
      if (outcome.status === 'failed') block(outcome.index);
      else for (const c of children.get(outcome.index) ?? []) {
        const left = (waiting.get(c) ?? 1) - 1;
        waiting.set(c, left);
        if (left === 0 && !blocked.has(c)) ready.push(c);
      }
      options.onOutcome?.(outcome, settled(), total);
    };
    const finish = (): void => {
      if (finished) return;
      finished = true;
      for (const w of started) w.send({ type: 'stop' } satisfies WorkerRequest);
      resolvePromise({ outcomes, blocked });
    };
    const dispatch = (worker: ChildProcess): void => {
      if (finished) {
        worker.send({ type: 'stop' } satisfies WorkerRequest);
        return;
      }
      const index = ready.shift();
      if (index === undefined) {
        if (settled() === total) finish();
        return;
      }
      busy.set(worker, index);
      worker.send({ type: 'run', index } satisfies WorkerRequest);
    };
    const spawnWorker = (): void => {
      const worker = fork(script, [], { env: { ...process.env, BPS_WORKER_INIT: JSON.stringify(init) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      workers.add(worker);
      worker.on('message', (message: WorkerReply) => {
        if (message.type === 'ready') started.add(worker);
        if (message.type === 'done') {
          busy.delete(worker);
          record(message.outcome);
        }
        for (const w of started) if (!busy.has(w)) dispatch(w);
      });
      worker.on('exit', (code, signal) => {
        workers.delete(worker);
        started.delete(worker);
        const index = busy.get(worker);
        busy.delete(worker);
        if (index !== undefined) {
          const q = byIndex.get(index);
          record({
            quantumId: q?.id ?? '',
            index,
            taskLabel: q?.taskLabel ?? '',
            dataId: q?.dataId ?? {},
            status: 'failed',
            error: `worker process died (${signal ? `signal ${signal}` : `exit code ${code}`}) while running this quantum`,
            logPath: '',
            durationMs: 0,
          });
        }
        if (!finished && settled() < total) spawnWorker();
        else if (settled() === total) finish();
      });
    };
    if (total === 0) return resolvePromise({ outcomes, blocked });
    for (let i = 0; i < Math.max(1, Math.min(options.jobs, total)); i++) spawnWorker();
  });
}
