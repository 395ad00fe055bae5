import { resolve } from 'node:path';
import type { Command } from 'commander';
import { aggregateGraph, preExecInit } from '../../aggregate/index.js';
import { Butler, readRepoConfig } from '../../butler/index.js';
import type { FileDatastoreOptions } from '../../datastore/index.js';
import { UsageError } from '../../errors/index.js';
import { expandQuantumIdArguments, runQbb } from '../../exec/index.js';
import { openQuantumGraph, readQuantumGraph } from '../../graph/index.js';
import { createLogger } from '../../util/index.js';
import { printResult } from '../run-cli.js';
import { formatRunSummary } from './run-summary.js';

/** Datastore of a repository, from its butler.yaml alone (jobs never open the registry). */
export function datastoreOptions(repo: string): FileDatastoreOptions {
  const config = readRepoConfig(resolve(repo));
  return { root: resolve(repo, config.datastore.root), ...(config.datastore.templates ? { templates: config.datastore.templates } : {}) };
}

/** `run-qbb`, `pre-exec-init`, `aggregate-graph`. */
export function addExecCommands(program: Command): void {
  program
    .command('run-qbb')
    .description('Run quanta of a saved graph from its refs alone (what a batch job runs; no registry access)')
    .argument('<repo>')
    .argument('<graph>', 'saved quantum graph (.qg)')
    .requiredOption('--qgraph-node-id <ids...>', 'quantum ids (comma-separated or repeated; @FILE reads them from a file)')
    .option('--clobber', 'run again quanta that already succeeded')
    .option('--json', 'print the outcomes as JSON')
    .action(async (repo: string, graphPath: string, opts: { qgraphNodeId: string[]; clobber?: boolean; json?: boolean }) => {
      const { outcomes, exitCode } = await runQbb({ datastore: datastoreOptions(repo), graphPath, quantumIds: expandQuantumIdArguments(opts.qgraphNodeId), clobber: Boolean(opts.clobber), log: createLogger() });
      if (opts.json) printResult(true, outcomes, () => '');
      for (const o of outcomes.filter((x) => x.status === 'failed')) process.stderr.write(`qg: quantum ${o.taskLabel} ${JSON.stringify(o.dataId)} failed: ${o.error}\n  log: ${o.logPath}\n`);
      process.exitCode = exitCode;
    });

  program
    .command('pre-exec-init')
    .description('Register the dataset types, output run and chain of a graph, and write its init-outputs')
    .argument('<repo>')
    .argument('<graph>')
    .action(async (repo: string, graphPath: string) => {
      const graph = await openQuantumGraph(graphPath);
      const header = graph.header;
      await graph.close();
      const butler = await Butler.open(repo);
      try {
        const result = await preExecInit(butler, header);
        createLogger().info({ stage: 'pre-exec-init', run: header.outputRun, initOutputs: result.initOutputs }, 'pre-exec-init done');
      } finally {
        await butler.close();
      }
    });

  program
    .command('aggregate-graph')
    .description('Fold the outputs and provenance of a run into the registry (safe to run again)')
    .argument('<graph>')
    .argument('<repo>')
    .option('--json', 'print the result as JSON')
    .action(async (graphPath: string, repo: string, opts: { json?: boolean }) => {
      if (!graphPath.endsWith('.qg') && repo.endsWith('.qg')) throw new UsageError('The graph comes first: qg aggregate-graph GRAPH REPO.');
      const graph = await readQuantumGraph(graphPath);
      const butler = await Butler.open(repo);
      try {
        const started = Date.now();
        const result = await aggregateGraph(butler, graph);
        createLogger().info({ stage: 'aggregate', durationMs: Date.now() - started, datasets: result.datasetsIngested, problems: result.problems.length }, 'aggregation done');
        printResult(Boolean(opts.json), result, () => formatRunSummary(result));
      } finally {
        await butler.close();
      }
    });
}
