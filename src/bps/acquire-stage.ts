import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { execa } from 'execa';
import { expandCommand, searchString, type BpsConfig } from '../config/index.js';
import { readQuantumGraph, type QuantumGraph } from '../graph/index.js';
import { InvalidInputError } from '../errors/index.js';
import type { Logger } from '../util/index.js';
import { StageError } from './bps-errors.js';
import type { StageCounts } from './stage-log.js';

/** Options of {@link acquireGraph}. */
export interface AcquireOptions {
  readonly config: BpsConfig;
  readonly submitPath: string;
  readonly cwd: string;
  readonly log: Logger;
}

/** What the acquire stage produced. */
export interface AcquireResult {
  /** The graph file every job reads (in the submit directory). */
  readonly graphFile: string;
  readonly graph: QuantumGraph;
  readonly reused: boolean;
}

/** The graph file of a submission (`runQgraphFile`), absolute. */
export function readRunGraphFile(config: BpsConfig, cwd: string): string {
  const value = searchString(config, 'runQgraphFile');
  if (value === undefined || value === '') throw new InvalidInputError('bps setting runQgraphFile is empty', { key: 'runQgraphFile', hint: 'the defaults set it to {submitPath}/{qgraphFileTemplate}' });
  return resolve(cwd, value);
}

/**
 * The acquire stage: the graph in the submit directory is reused when it is there (resume);
 * a given `qgraphFile` (`-g`) is copied in; otherwise `createQuantumGraph` (`qg build ...`)
 * runs, with its output in `quantumGraphGeneration.out|.err`.
 */
export async function acquireGraph(options: AcquireOptions): Promise<{ value: AcquireResult; counts: StageCounts }> {
  const { config, submitPath, cwd, log } = options;
  const graphFile = readRunGraphFile(config, cwd);
  mkdirSync(dirname(graphFile), { recursive: true });
  let reused = existsSync(graphFile);
  let how = 'reused';
  if (!reused) {
    const given = searchString(config, 'qgraphFile');
    if (given !== undefined && given !== '' && resolve(cwd, given) !== graphFile) {
      log.info({ file: given }, `Copying quantum graph '${given}'`);
      copyFileSync(resolve(cwd, given), graphFile);
      how = 'copied';
    } else {
      await runCreateGraph({ config, submitPath, cwd, log, graphFile });
      how = 'built';
    }
  }
  const started = performance.now();
  const graph = readQuantumGraph(graphFile);
  log.info({ file: graphFile, durationMs: Math.round(performance.now() - started) }, `Completed reading quantum graph '${graphFile}'`);
  reused = how === 'reused';
  return { value: { graphFile, graph, reused }, counts: { quanta: graph.header.quantumCount, tasks: graph.header.tasks.length, graph: how } };
}

async function runCreateGraph(options: AcquireOptions & { graphFile: string }): Promise<void> {
  const { config, submitPath, cwd, log, graphFile } = options;
  const command = expandCommand(config, 'createQuantumGraph', { curvals: { qgraphFile: graphFile } });
  if (command === undefined || command.length === 0) {
    throw new StageError('no createQuantumGraph command and no qgraphFile to start from', { stage: 'acquire', hint: 'set pipelineYaml (the defaults build the graph with qg build), or pass -g GRAPH' });
  }
  const out = join(submitPath, 'quantumGraphGeneration.out');
  const err = join(submitPath, 'quantumGraphGeneration.err');
  log.info({ command }, 'Creating quantum graph');
  const result = await execa(command[0]!, command.slice(1), { cwd, reject: false, stdin: 'ignore', stdout: { file: out }, stderr: ['pipe', { file: err }] });
  if (result.exitCode !== 0) {
    const tail = String(result.stderr ?? '').split('\n').filter((l) => l.trim() !== '').slice(-8).join('\n');
    throw new StageError(`creating the quantum graph failed (${result.signal ? `signal ${result.signal}` : `exit ${result.exitCode ?? '?'}`}): ${command.join(' ')}\n${tail}`, {
      stage: 'acquire', command, ...(result.exitCode !== undefined ? { commandExitCode: result.exitCode } : {}), stderrTail: tail,
      hint: `see ${err}; fix the pipeline, collections or where-clause and submit again`,
    });
  }
}
