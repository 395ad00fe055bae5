import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { aggregateGraph, preExecInit } from '../../aggregate/index.js';
import { Butler } from '../../butler/index.js';
import { ExitCode, UsageError } from '../../errors/index.js';
import { executeQuanta, quantumRecordDir } from '../../exec/index.js';
import { readQuantumGraph, writeQuantumGraph, type QuantumGraph } from '../../graph/index.js';
import { createLogger } from '../../util/index.js';
import { printResult } from '../run-cli.js';
import { addBuildOptions, buildGraphForCli, type BuildCommandOptions } from './build-command.js';
import { datastoreOptions } from './exec-commands.js';
import { formatRunSummary } from './run-summary.js';

interface RunCommandOptions extends Partial<BuildCommandOptions> {
  qgraph?: string;
  jobs: string;
  clobber?: boolean;
}

/** Registers `qg run`: build (or read) a graph, execute it locally in parallel, aggregate. */
export function addRunCommand(program: Command): void {
  const cmd = program
    .command('run')
    .description('build a quantum graph (or read one with -g), run it locally with -j worker processes, then fold the results into the registry');
  addBuildOptions(cmd, { pipelineRequired: false })
    .option('-g, --qgraph <file>', 'run this saved graph instead of building one')
    .option('-j, --jobs <n>', 'parallel worker processes', '1')
    .option('--clobber', 'run again quanta that already succeeded')
    .action((opts: RunCommandOptions) => runRunCommand(opts));
}

async function runRunCommand(opts: RunCommandOptions): Promise<void> {
  const log = createLogger();
  const repo = opts.butlerConfig ?? process.env['BUTLER_REPO'];
  if (!repo) throw new UsageError('No repository given.', { hint: 'Pass -b REPO or set BUTLER_REPO.' });
  const jobs = Number(opts.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`-j "${opts.jobs}" must be a positive integer.`);
  if (!opts.qgraph && !opts.pipeline) throw new UsageError('Give a pipeline (-p) to build a graph, or a saved graph (-g).');
  let graph: QuantumGraph;
  let graphPath: string;
  if (opts.qgraph) {
    graphPath = resolve(opts.qgraph);
    graph = await readQuantumGraph(graphPath);
  } else {
    graph = await buildGraphForCli({ ...(opts as BuildCommandOptions), butlerConfig: repo }, log);
    graphPath = resolve(opts.saveQgraph ?? resolve(datastoreOptions(repo).root, quantumRecordDir(graph.header.outputRun, 'graph'), 'graph.qg'));
    mkdirSync(dirname(graphPath), { recursive: true });
    writeQuantumGraph(graphPath, graph);
  }
  const butler = await Butler.open(repo);
  try {
    const started = Date.now();
    await preExecInit(butler, graph.header);
    const tty = process.stderr.isTTY;
    const result = await executeQuanta({
      graphPath,
      quanta: graph.quanta,
      datastore: datastoreOptions(repo),
      jobs,
      clobber: Boolean(opts.clobber),
      onOutcome: (o, done, total) => {
        if (tty) process.stderr.write(`\r\u001b[2K${done}/${total} quanta (${o.taskLabel} ${o.status})`);
        else log.info({ quantum: o.quantumId, label: o.taskLabel, dataId: o.dataId, status: o.status, durationMs: o.durationMs }, `${o.taskLabel} ${o.status}`);
      },
    });
    if (tty) process.stderr.write('\r\u001b[2K');
    const executedMs = Date.now() - started;
    const summary = await aggregateGraph(butler, graph);
    const ran = result.outcomes.filter((o) => o.status !== 'skipped').length;
    log.info({ stage: 'run', durationMs: executedMs, quanta: graph.quanta.length, executed: ran, skipped: result.outcomes.length - ran, blocked: result.blocked.size, graph: graphPath }, 'execution done');
    printResult(Boolean(opts.json), { graph: graphPath, outputRun: graph.header.outputRun, ...summary }, () => `${formatRunSummary(summary)}\n\ngraph: ${graphPath}\noutput run: ${graph.header.outputRun}`);
    if (summary.problems.length > 0) process.exitCode = ExitCode.execution;
  } finally {
    await butler.close();
  }
}
