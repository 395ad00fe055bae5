import { InvalidInputError } from '../../errors/index.js';

/**
 * The coordinator–worker protocol: one JSON request type, `POST /v1/exchange`, that is at
 * once heartbeat, result report and request for work. A worker sends its requests one at a
 * time, numbered (`seq`); the coordinator answers with jobs, leases to cancel, or `stop`.
 */
export const PILOT_PROTOCOL_VERSION = 1;

/** One job handed to a worker: everything needed to run it, nothing about the graph. */
export interface PilotJobSpec {
  /** `<job>#<attempt>`: unique across restarts of the run, since attempt numbers continue. */
  readonly lease: string;
  readonly job: string;
  readonly label: string;
  readonly attempt: number;
  readonly commands: readonly (readonly string[])[];
  readonly cwd: string;
  /** Added to the worker's environment. */
  readonly env: Readonly<Record<string, string>>;
  /** Absolute paths of the attempt's logs. */
  readonly stdout: string;
  readonly stderr: string;
  readonly cpus: number;
  readonly memoryMiB: number;
}

/** How a job ended on a worker. */
export interface PilotJobResult {
  readonly lease: string;
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** Epoch milliseconds. */
  readonly startedAt: number;
  readonly endedAt: number;
  /** The worker gave the job up for its own reasons (shutdown, lost contact): not the job's fault. */
  readonly lost?: string;
  /** The job was stopped because the coordinator asked for it. */
  readonly cancelled?: boolean;
  /** The job's command could not start. */
  readonly error?: string;
}

/** Who is asking, and what it can hold. */
export interface PilotWorkerInfo {
  readonly id: string;
  readonly blockId: string;
  readonly host: string;
  readonly pid: number;
  readonly cpus: number;
  readonly memoryMiB: number;
  /** When the worker's block ends (epoch ms), if known. */
  readonly endsAt: number | null;
}

/** Body of `POST /v1/exchange`. */
export interface ExchangeRequest {
  readonly version: number;
  /** 1, 2, 3, ...: the worker sends request n+1 only after it got (or gave up on) the answer to n. */
  readonly seq: number;
  readonly worker: PilotWorkerInfo;
  /** Leases the worker holds: running, or waiting on the worker for room. */
  readonly holding: readonly string[];
  readonly results: readonly PilotJobResult[];
  /** The worker has room: the coordinator may hold the request until work comes (long poll). */
  readonly wait: boolean;
  /** CPU time the worker process has used so far (all its threads), s. */
  readonly cpuSeconds?: number;
}

/** Answer to an {@link ExchangeRequest}. */
export interface ExchangeResponse {
  readonly seq: number;
  readonly jobs: readonly PilotJobSpec[];
  /** Leases to stop at once (cancelled run, or unknown to this coordinator). */
  readonly cancel: readonly string[];
  /** The run is over: finish, report, exit. */
  readonly stop: boolean;
  /** Jobs the worker may hold beyond what fits. */
  readonly prefetch: number;
  /** The longest the worker may stay silent. */
  readonly heartbeatMs: number;
}

function bad(problem: string): never {
  throw new InvalidInputError(`pilot exchange request ${problem}; the worker and the coordinator must run the same bps-ts version`);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isString = (v: unknown): v is string => typeof v === 'string';

function checkResult(r: unknown): PilotJobResult {
  if (!isObject(r) || !isString(r['lease']) || !isNumber(r['startedAt']) || !isNumber(r['endedAt'])) bad(`has a malformed result ${JSON.stringify(r)}`);
  if (!(r['exitCode'] === null || Number.isInteger(r['exitCode'])) || !(r['signal'] === null || isString(r['signal']))) bad(`has a malformed exit in result ${JSON.stringify(r)}`);
  return r as unknown as PilotJobResult;
}

/** Checks a parsed request body; throws `InvalidInputError` naming what is wrong. */
export function parseExchangeRequest(body: unknown): ExchangeRequest {
  if (!isObject(body)) bad('is not a JSON object');
  if (body['version'] !== PILOT_PROTOCOL_VERSION) bad(`has version ${JSON.stringify(body['version'])}, expected ${PILOT_PROTOCOL_VERSION}`);
  if (!Number.isInteger(body['seq'])) bad(`has no integer 'seq'`);
  const w = body['worker'];
  if (!isObject(w) || !isString(w['id']) || !isString(w['blockId']) || !isString(w['host']) || !isNumber(w['pid']) || !isNumber(w['cpus']) || !isNumber(w['memoryMiB'])) bad(`has a malformed 'worker': ${JSON.stringify(w)}`);
  if (!(w['endsAt'] === null || isNumber(w['endsAt']))) bad(`has a malformed 'worker.endsAt'`);
  const holding = body['holding'];
  if (!Array.isArray(holding) || !holding.every(isString)) bad(`has a malformed 'holding'`);
  const results = body['results'];
  if (!Array.isArray(results)) bad(`has a malformed 'results'`);
  const cpu = body['cpuSeconds'];
  return { version: PILOT_PROTOCOL_VERSION, seq: body['seq'] as number, worker: w as unknown as PilotWorkerInfo, holding, results: results.map(checkResult), wait: body['wait'] === true, ...(isNumber(cpu) ? { cpuSeconds: cpu } : {}) };
}

/** The lease id of an attempt. */
export function leaseId(job: string, attempt: number): string {
  return `${job}#${attempt}`;
}
