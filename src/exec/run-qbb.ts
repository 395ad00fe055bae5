import { readFileSync } from 'node:fs';
import { FileDatastore, type FileDatastoreOptions } from '../datastore/index.js';
import { ExitCode, InvalidInputError } from '../errors/index.js';
import { openQuantumGraph, type QuantumGraphReader } from '../graph/index.js';
import type { Logger } from '../util/index.js';
import { runQuantum, type QuantumOutcome } from './run-quantum.js';

/** Options of {@link runQbb}. */
export interface RunQbbOptions {
  readonly datastore: FileDatastoreOptions;
  readonly graphPath: string;
  /** Quantum UUIDs, run in this order. */
  readonly quantumIds: readonly string[];
  /** Run again quanta that already succeeded. */
  readonly clobber?: boolean;
  /** Gets one line per quantum (label, data ID, status, duration, log path). */
  readonly log: Logger;
}

/** What {@link runQbb} did: outcomes in order, and the exit code of `qg run-qbb`. */
export interface RunQbbResult {
  readonly outcomes: readonly QuantumOutcome[];
  /** 0 when no quantum failed, else {@link ExitCode.execution}. */
  readonly exitCode: number;
}

/** Graphs and datastores opened by this process, kept for the next call (long-lived workers). */
const graphs = new Map<string, QuantumGraphReader>();
const datastores = new Map<string, FileDatastore>();
const MAX_OPEN_GRAPHS = 8;

function graphFor(path: string): QuantumGraphReader {
  let graph = graphs.get(path);
  if (graph === undefined) {
    graph = openQuantumGraph(path);
    if (graphs.size >= MAX_OPEN_GRAPHS) {
      const [oldest, reader] = graphs.entries().next().value as [string, QuantumGraphReader];
      reader.close();
      graphs.delete(oldest);
    }
    graphs.set(path, graph);
  }
  return graph;
}

function datastoreFor(options: FileDatastoreOptions): FileDatastore {
  const key = JSON.stringify(options);
  let datastore = datastores.get(key);
  if (datastore === undefined) {
    datastore = new FileDatastore(options);
    datastores.set(key, datastore);
  }
  return datastore;
}

/**
 * What a batch job runs (`qg run-qbb`): the given quanta of a saved graph, one after the other,
 * from the graph's refs alone (no registry). The graph stays open for the next call in the same
 * process, so a long-lived worker (pilot site) pays for opening it once.
 */
export async function runQbb(options: RunQbbOptions): Promise<RunQbbResult> {
  const graph = graphFor(options.graphPath);
  const datastore = datastoreFor(options.datastore);
  const outcomes: QuantumOutcome[] = [];
  for (const id of options.quantumIds) {
    const quantum = graph.readQuantum(graph.findQuantumIndex(id));
    const outcome = await runQuantum({ header: graph.header, quantum, datastore, clobber: Boolean(options.clobber) });
    options.log.info({ quantum: id, label: outcome.taskLabel, dataId: outcome.dataId, status: outcome.status, durationMs: outcome.durationMs, log: outcome.logPath }, `${outcome.taskLabel} ${outcome.status}`);
    outcomes.push(outcome);
  }
  return { outcomes, exitCode: outcomes.some((o) => o.status === 'failed') ? ExitCode.execution : 0 };
}

/**
 * The quantum ids of `--qgraph-node-id` values: comma-separated ids, or `@FILE` naming a file
 * of ids (one per line or comma-separated) for lists too long for a command line.
 */
export function expandQuantumIdArguments(values: readonly string[]): string[] {
  const ids: string[] = [];
  for (const value of values) {
    let text = value;
    if (value.startsWith('@')) {
      try {
        text = readFileSync(value.slice(1), 'utf8');
      } catch (cause) {
        throw new InvalidInputError(`cannot read the quantum-id file '${value.slice(1)}': ${(cause as Error).message}`, { cause, hint: 'the file is written into the submit directory by the transform stage' });
      }
    }
    for (const id of text.split(/[\s,]+/)) if (id !== '') ids.push(id);
  }
  return ids;
}

/** Closes the graphs {@link runQbb} keeps open. */
export function closeRunQbbGraphs(): void {
  for (const graph of graphs.values()) graph.close();
  graphs.clear();
}
