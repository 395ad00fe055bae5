import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BpsError } from '../../errors/index.js';
import type { Logger } from '../../util/index.js';
import { SiteError } from '../site-error.js';
import { parseExchangeRequest, type ExchangeRequest, type ExchangeResponse } from './pilot-protocol.js';

/** Options of {@link startCoordinatorServer}. */
export interface CoordinatorServerOptions {
  readonly host: string;
  /** 0: any free port. */
  readonly port: number;
  readonly token: string;
  /** `whenClosed` registers a callback for a client that hangs up before the answer. */
  readonly exchange: (req: ExchangeRequest, whenClosed: (callback: () => void) => void) => Promise<ExchangeResponse> | ExchangeResponse;
  /** `POST /v1/cancel`: `bps-ts cancel` asks the coordinator to stop the run. */
  readonly onCancel: () => void;
  /** Body of `GET /v1/ping`. */
  readonly describe: () => Record<string, unknown>;
  readonly log: Logger;
}

/** A listening coordinator. */
export interface CoordinatorServer {
  readonly port: number;
  close(): Promise<void>;
}

const MAX_BODY = 16 * 1024 * 1024;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function authorised(req: IncomingMessage, token: string): boolean {
  const given = Buffer.from(req.headers.authorization ?? '');
  const wanted = Buffer.from(`Bearer ${token}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy(new Error(`request body over ${MAX_BODY} bytes`));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Serves the coordinator over HTTP/1.1 with keep-alive: `POST /v1/exchange` (workers),
 * `GET /v1/ping` and `POST /v1/cancel` (bps-ts status and cancel). Every request must carry
 * the run's bearer token. HTTP works between hosts of the cluster network, needs no server
 * beyond the driver itself, and one request carries a batch of results and of jobs.
 */
export async function startCoordinatorServer(options: CoordinatorServerOptions): Promise<CoordinatorServer> {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!authorised(req, options.token)) return send(res, 401, { error: 'missing or wrong bearer token (see <submit>/pilot/coordinator.json)' });
    const url = req.url ?? '';
    if (req.method === 'GET' && url === '/v1/ping') return send(res, 200, options.describe());
    if (req.method === 'POST' && url === '/v1/cancel') {
      options.onCancel();
      return send(res, 202, { cancelling: true });
    }
    if (req.method !== 'POST' || url !== '/v1/exchange') return send(res, 404, { error: `no route ${req.method ?? ''} ${url}` });
    let body: ExchangeRequest;
    try {
      body = parseExchangeRequest(JSON.parse(await readBody(req)));
    } catch (err) {
      return send(res, 400, { error: (err as Error).message });
    }
    // A plain listener, not an AbortController: one per request adds up at thousands per second.
    const answer = await options.exchange(body, (callback) => res.once('close', callback));
    if (!res.destroyed) send(res, 200, answer);
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      options.log.error({ err: String(err), url: req.url }, 'pilot coordinator: request failed');
      if (!res.headersSent && !res.destroyed) send(res, 500, { error: err instanceof BpsError ? err.message : String(err) });
    });
  });
  // Longer than a worker's quietest spell, so its connection stays open between requests.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (cause: NodeJS.ErrnoException) => reject(new SiteError(`the pilot coordinator cannot listen on ${options.host}:${options.port}: ${cause.message}`, { site: 'pilot', cause, hint: 'set site.<computeSite>.listenAddress to an address of this host, and port to a free port (0: any)' })));
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
