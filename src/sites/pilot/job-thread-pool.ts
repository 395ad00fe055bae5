import { Worker } from 'node:worker_threads';

/** Options of {@link createJobThreadPool}. */
export interface JobThreadPoolOptions {
  /** Module each thread runs; it answers every message on `parentPort` with exactly one message. */
  readonly module: URL;
  /** Given to every thread as `workerData`. */
  readonly workerData: unknown;
}

/** Threads that run one task each at a time, kept for the next task (and their caches with them); as many as tasks run at once. */
export interface JobThreadPool {
  /**
   * Runs one task on an idle (or new) thread. Aborting `signal` terminates that thread and
   * resolves with `{ aborted: true }`; a thread that dies rejects.
   */
  run<T>(message: unknown, signal?: AbortSignal): Promise<{ readonly value: T } | { readonly aborted: true }>;
  /** Terminates every thread. */
  close(): Promise<void>;
}

/**
 * A pool of worker threads for jobs a pilot worker runs in-process: the main thread stays
 * free to heartbeat and to hear cancels while a long quantum computes, the worker's cores
 * run jobs in parallel, and a cancelled job is stopped by terminating its thread.
 */
export function createJobThreadPool(options: JobThreadPoolOptions): JobThreadPool {
  const idle: Worker[] = [];
  const all = new Set<Worker>();
  const spawnThread = (): Worker => {
    const w = new Worker(options.module, { workerData: options.workerData });
    all.add(w);
    w.once('exit', () => {
      all.delete(w);
      const i = idle.indexOf(w);
      if (i >= 0) idle.splice(i, 1);
    });
    return w;
  };
  return {
    run<T>(message: unknown, signal?: AbortSignal) {
      const thread = idle.pop() ?? spawnThread();
      return new Promise<{ readonly value: T } | { readonly aborted: true }>((resolve, reject) => {
        const cleanup = (): void => {
          thread.off('message', onMessage);
          thread.off('error', onError);
          thread.off('exit', onExit);
          signal?.removeEventListener('abort', onAbort);
        };
        const onMessage = (value: T): void => {
          cleanup();
          idle.push(thread);
          resolve({ value });
        };
        const onError = (err: Error): void => {
          cleanup();
          void thread.terminate();
          reject(err);
        };
        const onExit = (code: number): void => {
          cleanup();
          reject(new Error(`job thread exited with code ${code} before answering`));
        };
        const onAbort = (): void => {
          cleanup();
          void thread.terminate().then(() => resolve({ aborted: true }));
        };
        thread.on('message', onMessage);
        thread.once('error', onError);
        thread.once('exit', onExit);
        signal?.addEventListener('abort', onAbort, { once: true });
        if (signal?.aborted === true) onAbort();
        else thread.postMessage(message);
      });
    },
    async close() {
      await Promise.all([...all].map((w) => w.terminate()));
      idle.length = 0;
    },
  };
}
