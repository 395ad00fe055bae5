import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Butler, formatForStorageClass } from '../../butler/index.js';
import { UsageError } from '../../errors/index.js';
import {
  buildQuantumGraph, createGraphRegistry, formatGraphQuanta, formatGraphTasks, formatGraphUris, formatGraphWorkflow, formatQuantaSummary, formatQuantumGraphDot,
  GraphShowKind, writeQuantumGraph, type BuildProgress, type DatasetQueryConstraint, type PredictPath, type QuantumGraph,
} from '../../graph/index.js';
import { formatPipelineYaml, loadPipeline, loadTaskCatalog, resolvePipelineGraph } from '../../pipeline/index.js';
import { parseBindOptions } from '../../registry/index.js';
import { createLogger, type Logger } from '../../util/index.js';
import { collect, printResult, splitCommas } from '../run-cli.js';

/** Options shared by `qg build` and `qg run`. */
export interface BuildCommandOptions {
  pipeline: string;
  butlerConfig?: string;
  input?: string[];
  output?: string;
  outputRun?: string;
  dataQuery?: string;
  bind?: string[];
  saveQgraph?: string;
  qgraphDot?: string;
  skipExistingIn?: string[];
  skipExisting?: boolean;
  clobberOutputs?: boolean;
  extendRun?: boolean;
  replaceRun?: boolean;
  rebase?: boolean;
  datasetQueryConstraint: string;
  config?: string[];
  configFile?: string[];
  instrument?: string;
  catalog?: string[];
  show?: string[];
  compress?: boolean;
  json?: boolean;
}

/** Parses `--show` values, rejecting unknown ones. */
export function parseShowKinds(values: readonly string[] | undefined): GraphShowKind[] {
  return splitCommas(values).map((v) => {
    if (!(GraphShowKind as readonly string[]).includes(v)) throw new UsageError(`Unknown --show value "${v}".`, { hint: `Use one of: ${GraphShowKind.join(', ')}.` });
    return v as GraphShowKind;
  });
}

/** The text of one `--show` item. */
export function formatShowKind(kind: GraphShowKind, graph: QuantumGraph): string {
  switch (kind) {
    case 'graph': return formatGraphQuanta(graph.quanta);
    case 'workflow': return formatGraphWorkflow(graph.quanta);
    case 'tasks': return formatGraphTasks(graph.header);
    case 'uri': return formatGraphUris(graph);
  }
}

function parseConstraint(text: string): DatasetQueryConstraint {
  if (text === 'all' || text === 'off') return text;
  const names = splitCommas([text]);
  if (names.length === 0) throw new UsageError(`--dataset-query-constraint "${text}" is empty.`, { hint: 'Use all, off, or dataset type names separated by commas.' });
  return names;
}

/** Output paths from the repository's file templates; `{visit.name}`-style fields read the preloaded visit records. */
async function makePathPredictor(butler: Butler): Promise<PredictPath> {
  const visits = new Map<string, Record<string, unknown>>();
  for (const r of await butler.registry.queryDimensionRecords({ element: 'visit' })) visits.set(`${String(r['instrument'])}\u001f${String(r['id'])}`, r);
  return (d) => {
    const visit = d.dataId['visit'] !== undefined ? visits.get(`${String(d.dataId['instrument'])}\u001f${String(d.dataId['visit'])}`) : undefined;
    return butler.datastore.pathFor({ run: d.run, datasetType: d.datasetType, dataId: d.dataId, ...(visit ? { records: { visit } } : {}) }, d.storageClass, formatForStorageClass(d.storageClass).extension);
  };
}

function progressReporter(): ((p: BuildProgress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (p) => {
    const text = p.phase === 'query' ? `querying data IDs: ${p.rows ?? 0} rows` : p.phase === 'resolve' ? `resolving datasets: task ${p.tasksDone ?? 0}/${p.tasks ?? 0}` : 'assembling quanta';
    process.stderr.write(`\r\u001b[2K${text}`);
    if (p.phase === 'assemble') process.stderr.write('\r\u001b[2K');
  };
}

/** Loads the pipeline, opens the repository and builds the graph the options describe. */
export async function buildGraphForCli(opts: BuildCommandOptions, log: Logger): Promise<QuantumGraph> {
  const repo = opts.butlerConfig ?? process.env['BUTLER_REPO'];
  if (!repo) throw new UsageError('No repository given.', { hint: 'Pass -b REPO or set BUTLER_REPO.' });
  const catalog = loadTaskCatalog({ files: opts.catalog ?? [] });
  const expanded = loadPipeline({ uri: opts.pipeline, env: process.env, catalog, overrides: { config: opts.config ?? [], configFiles: opts.configFile ?? [], instrument: opts.instrument } });
  const pipeline = resolvePipelineGraph(expanded, catalog);
  const butler = await Butler.open(repo);
  try {
    const onProgress = progressReporter();
    const result = await buildQuantumGraph({
      registry: createGraphRegistry(butler.registry),
      pipeline,
      collections: {
        inputs: splitCommas(opts.input),
        ...(opts.output !== undefined ? { output: opts.output } : {}),
        ...(opts.outputRun !== undefined ? { outputRun: opts.outputRun } : {}),
        extendRun: opts.extendRun === true,
        replaceRun: opts.replaceRun === true,
        rebase: opts.rebase === true,
        skipExistingIn: splitCommas(opts.skipExistingIn),
        skipExisting: opts.skipExisting === true,
      },
      where: opts.dataQuery ?? '',
      bind: parseBindOptions(opts.bind ?? []),
      datasetQueryConstraint: parseConstraint(opts.datasetQueryConstraint),
      clobberOutputs: opts.clobberOutputs === true,
      predictPath: await makePathPredictor(butler),
      provenance: { pipelineYaml: formatPipelineYaml(expanded.document), commandLine: ['qg', ...process.argv.slice(2)].join(' '), repo: butler.repo },
      log,
      ...(onProgress ? { onProgress } : {}),
    });
    return result.graph;
  } finally {
    await butler.close();
  }
}

async function runBuildCommand(opts: BuildCommandOptions): Promise<void> {
  const log = createLogger();
  const shows = parseShowKinds(opts.show);
  const graph = await buildGraphForCli(opts, log);
  let bytes: number | undefined;
  if (opts.saveQgraph !== undefined) {
    const started = Date.now();
    log.info({ file: opts.saveQgraph }, `Writing QuantumGraph to '${opts.saveQgraph}'.`);
    bytes = writeQuantumGraph(opts.saveQgraph, graph, { compress: opts.compress === true }).bytes;
    log.info({ stage: 'qg write', durationMs: Date.now() - started, bytes, file: opts.saveQgraph }, 'quantum graph written');
  }
  if (opts.qgraphDot !== undefined) writeFileSync(opts.qgraphDot, formatQuantumGraphDot(graph));
  const h = graph.header;
  printResult(opts.json === true, { quanta: h.quantumCount, datasets: h.datasetCount, outputRun: h.outputRun, outputCollection: h.outputCollection, inputCollections: h.inputCollections, tasks: h.tasks.map((t) => ({ label: t.label, quanta: t.quanta })), file: opts.saveQgraph ?? null, bytes: bytes ?? null }, () =>
    [
      `QuantumGraph contains ${h.quantumCount} quanta for ${h.tasks.length} tasks, output run '${h.outputRun}'.`,
      formatQuantaSummary(h.tasks),
      ...shows.map((k) => formatShowKind(k, graph)),
    ].join('\n\n'),
  );
}

/** Adds the options of `qg build` to a command (`qg run` shares them). */
export function addBuildOptions(cmd: Command, options: { pipelineRequired: boolean } = { pipelineRequired: true }): Command {
  const pipeline = '-p, --pipeline <uri>';
  const pipelineHelp = 'pipeline YAML, optionally with #labels, #a,b or #a..b';
  return (options.pipelineRequired ? cmd.requiredOption(pipeline, pipelineHelp) : cmd.option(pipeline, pipelineHelp))
    .option('-b, --butler-config <repo>', 'repository (default: $BUTLER_REPO)')
    .option('-i, --input <collections>', 'input collections, comma-separated (repeatable)', collect)
    .option('-o, --output <collection>', 'output CHAINED collection: [output run, ...inputs]')
    .option('--output-run <run>', 'output RUN collection (default: <output>/<UTC timestamp>)')
    .option('-d, --data-query <where>', 'where-clause selecting the data IDs')
    .option('--bind <name=value>', 'bind a value for :name in the where-clause (repeatable)', collect)
    .option('--save-qgraph <file>', 'write the graph to this .qg file')
    .option('--qgraph-dot <file>', 'write the graph as Graphviz DOT')
    .option('--skip-existing-in <collections>', "skip quanta whose <label>_metadata exists in these collections (repeatable)", collect)
    .option('--skip-existing', 'skip quanta whose <label>_metadata exists in the output run')
    .option('--clobber-outputs', 'replace outputs of unfinished quanta already in the output run')
    .option('--extend-run', 'add to an existing output run (default: the first run of the output chain)')
    .option('--replace-run', 'replace the output chain\'s first run with the new one')
    .option('--rebase', 'accept inputs that differ from those the output chain was made with')
    .option('--dataset-query-constraint <value>', 'overall inputs that constrain the data-ID query: all, off, or type names', 'all')
    .option('-c, --config <label:key=value>', 'config override (repeatable)', collect)
    .option('-C, --config-file <label:file>', 'config override file (repeatable)', collect)
    .option('--instrument <class>', 'replace the pipeline instrument')
    .option('--catalog <file>', 'extra task catalog YAML (repeatable)', collect)
    .option('--show <item>', `also print: ${GraphShowKind.join(', ')} (repeatable)`, collect)
    .option('--compress', 'deflate each quantum record of the saved graph')
    .option('--json', 'print a JSON summary');
}

/** Registers `qg build`: build a quantum graph from a pipeline, a repository and a where-clause. */
export function addBuildCommand(program: Command): void {
  addBuildOptions(
    program.command('build').alias('qgraph').description('build a quantum graph (one quantum per task execution) and optionally save it'),
  ).action((opts: BuildCommandOptions) => runBuildCommand(opts));
}
