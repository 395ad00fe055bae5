import type { Command } from 'commander';
import { formatQuantaSummary, GraphShowKind, readQuantumGraph } from '../../graph/index.js';
import { createLogger } from '../../util/index.js';
import { collect, printResult } from '../run-cli.js';
import { formatShowKind, parseShowKinds } from './build-command.js';

interface ShowCommandOptions {
  show?: string[];
  json?: boolean;
}

/** Registers `qg show FILE`: print a saved quantum graph. */
export function addShowCommand(program: Command): void {
  program
    .command('show')
    .description('print a saved quantum graph (.qg): summary, tasks, quanta, workflow or dataset paths')
    .argument('<file>', 'a graph written by qg build --save-qgraph')
    .option('--show <item>', `what to print (repeatable): ${GraphShowKind.join(', ')}`, collect)
    .option('--json', 'print the header as JSON')
    .action((file: string, opts: ShowCommandOptions) => {
      const log = createLogger();
      const kinds = parseShowKinds(opts.show);
      const started = Date.now();
      const graph = readQuantumGraph(file);
      log.info({ stage: 'qg read', durationMs: Date.now() - started, quanta: graph.header.quantumCount, file }, `Read quantum graph '${file}'`);
      const h = graph.header;
      printResult(opts.json === true, { ...h, pipelineYaml: undefined }, () =>
        [
          `${file}: ${h.quantumCount} quanta for ${h.tasks.length} tasks, ${h.datasetCount} datasets; built ${h.createdAt} by ${h.user}@${h.host}`,
          `inputs: ${h.inputCollections.join(', ')}\noutput: ${h.outputCollection}\noutput run: ${h.outputRun}\ncommand: ${h.commandLine}`,
          ...(kinds.length === 0 ? [formatQuantaSummary(h.tasks)] : kinds.map((k) => formatShowKind(k, graph))),
        ].join('\n\n'),
      );
    });
}
