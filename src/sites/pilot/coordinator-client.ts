import { Agent, request } from 'node:http';
import type { CoordinatorInfo } from './coordinator-file.js';
import type { ExchangeRequest, ExchangeResponse } from './pilot-protocol.js';

/** A request to the coordinator that did not get a 2xx answer (or any answer). */
export class CoordinatorUnreachableError extends Error {
  /** HTTP status, when the coordinator answered. */
  readonly status: number | undefined;
  /** System error code (`ECONNREFUSED`, ...), when it did not. */
  readonly code: string | undefined;

  constructor(message: string, options: { status?: number; code?: string; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.status = options.status;
    this.code = options.code;
  }
}

/** Options of {@link callCoordinator}. */
export interface CallOptions {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
  readonly agent?: Agent;
  readonly signal?: AbortSignal;
  /** Gives up after this many ms without an answer. */
  readonly timeoutMs?: number;
}

/** One JSON request to a coordinator with its bearer token; throws {@link CoordinatorUnreachableError}. */
export function callCoordinator<T>(info: Pick<CoordinatorInfo, 'url' | 'token'>, options: CallOptions): Promise<T> {
  const text = options.body === undefined ? '' : JSON.stringify(options.body);
  return new Promise<T>((resolve, reject) => {
    const req = request(new URL(options.path, info.url), {
      method: options.method,
      agent: options.agent,
      headers: { authorization: `Bearer ${info.token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
      ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${options.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', (err: NodeJS.ErrnoException) => reject(new CoordinatorUnreachableError(`pilot coordinator at ${info.url}: ${err.message}`, { ...(err.code !== undefined ? { code: err.code } : {}), cause: err })));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => reject(new CoordinatorUnreachableError(`pilot coordinator at ${info.url}: ${err.message}`, { cause: err })));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          reject(new CoordinatorUnreachableError(`pilot coordinator at ${info.url} answered ${options.method} ${options.path} with HTTP ${status}: ${body.slice(0, 300)}`, { status }));
          return;
        }
        try {
          resolve(JSON.parse(body) as T);
        } catch (cause) {
          reject(new CoordinatorUnreachableError(`pilot coordinator at ${info.url} sent invalid JSON: ${body.slice(0, 100)}`, { status, cause }));
        }
      });
    });
    req.end(text);
  });
}

/** A worker's connection to the coordinator: one kept-alive socket, one request at a time. */
export class CoordinatorClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });

  constructor(readonly info: CoordinatorInfo) {}

  /** Sends one exchange; `signal` abandons it (the worker has results to send instead). */
  exchange(body: ExchangeRequest, options: { readonly signal?: AbortSignal; readonly timeoutMs: number }): Promise<ExchangeResponse> {
    return callCoordinator<ExchangeResponse>(this.info, { method: 'POST', path: '/v1/exchange', body, agent: this.agent, ...options });
  }

  close(): void {
    this.agent.destroy();
  }
}
