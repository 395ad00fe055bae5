import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { readSubmissionInput, RunStateStore, runSubmitStages, StageName, type SubmissionInput } from '../../bps/index.js';
import type { BpsOverrides } from '../../config/index.js';
import { ExitCode, UsageError } from '../../errors/index.js';
import { readProcessStart } from '../../sites/index.js';
import { createLogger } from '../../util/index.js';
import { collect, printResult } from '../run-cli.js';
import { bpsHome, driveForeground, siblingQgCommand, spawnDetachedDriver } from './drive-support.js';

interface SubmitOptions {
  butlerConfig?: string;
  input?: string[];
  output?: string;
  outputRun?: string;
  dataQuery?: string;
  pipeline?: string;
  qgraph?: string;
  computeSite?: string;
  config?: string[];
  resume?: string;
  detach?: boolean;
  json?: boolean;
}

function submissionInput(file: string | undefined, opts: SubmitOptions): SubmissionInput {
  if (opts.resume !== undefined) {
    if (file !== undefined) throw new UsageError('Give either a config file or --resume SUBMIT_DIR, not both.');
    return readSubmissionInput(opts.resume);
  }
  if (file === undefined) throw new UsageError('No bps config file given.', { hint: 'bps-ts submit CONFIG.yaml (or --resume SUBMIT_DIR to continue stopped stages)' });
  const overrides: BpsOverrides = {
    ...(opts.butlerConfig !== undefined ? { butlerConfig: opts.butlerConfig } : {}),
    ...(opts.input !== undefined ? { inCollection: opts.input } : {}),
    ...(opts.output !== undefined ? { output: opts.output } : {}),
    ...(opts.outputRun !== undefined ? { outputRun: opts.outputRun } : {}),
    ...(opts.dataQuery !== undefined ? { dataQuery: opts.dataQuery } : {}),
    ...(opts.pipeline !== undefined ? { pipelineYaml: opts.pipeline } : {}),
    ...(opts.qgraph !== undefined ? { qgraphFile: opts.qgraph } : {}),
    ...(opts.computeSite !== undefined ? { computeSite: opts.computeSite } : {}),
    ...(opts.config !== undefined ? { settings: opts.config } : {}),
  };
  return { configFile: resolve(file), overrides, cwd: process.cwd(), submittedAt: new Date().toISOString() };
}

async function runStagesCommand(stage: StageName, file: string | undefined, opts: SubmitOptions): Promise<void> {
  const log = createLogger();
  const input = submissionInput(file, opts);
  let detached: { pid: number; logFile: string } | undefined;
  let succeeded: boolean | undefined;
  const result = await runSubmitStages({
    input, env: process.env, qgCommand: siblingQgCommand(), stopAfter: stage, home: bpsHome(), log,
    launch: async (runState, submission) => {
      if (opts.detach) {
        detached = spawnDetachedDriver(runState, submission);
        const store = RunStateStore.open(runState);
        store.adoptSubmission(submission, { driverHost: hostname(), driverPid: detached.pid, driverPidStart: readProcessStart(detached.pid) });
        store.close();
        return;
      }
      const counts = await driveForeground(runState, submission, log);
      succeeded = counts.succeeded === Object.values(counts).reduce((a, b) => a + b, 0);
    },
  });
  printResult(opts.json === true, { ...result, detachedDriver: detached ?? null, succeeded: succeeded ?? null }, () =>
    [
      `Submit dir: ${result.submitPath}`,
      ...(result.runState ? [`Run Id: ${result.runId}`] : [`Stopped after the ${stage} stage; continue with: bps-ts submit --resume ${result.submitPath}`]),
      ...(detached ? [`Driver running in the background (pid ${detached.pid}, log ${detached.logFile}); follow it with: bps-ts report --id ${result.runId}`] : []),
      ...(succeeded === false ? [`The run did not succeed: bps-ts report --id ${result.runId} --failed`] : []),
    ].join('\n'),
  );
  if (succeeded === false) process.exitCode = ExitCode.execution;
}

/** Registers `submit`, `acquire`, `cluster`, `transform`, `prepare`. */
export function addSubmitCommands(program: Command): void {
  const descriptions: Record<StageName, string> = {
    acquire: 'build (or copy) the quantum graph into a new submit directory, then stop',
    cluster: 'acquire, then group quanta into jobs, then stop',
    transform: 'acquire, cluster, then write the generic workflow, then stop',
    prepare: 'acquire, cluster, transform, then write the site files, then stop',
    submit: 'run every stage and the workflow (foreground, or --detach)',
  };
  for (const stage of ['submit', 'acquire', 'cluster', 'transform', 'prepare'] as const) {
    const cmd = program
      .command(stage)
      .description(descriptions[stage])
      .argument('[config]', 'bps submit YAML')
      .option('-b, --butler-config <repo>', 'repository (butlerConfig)')
      .option('-i, --input <collections>', 'input collections (inCollection; repeatable)', collect)
      .option('-o, --output <collection>', 'output chain (output)')
      .option('--output-run <run>', 'output run (outputRun)')
      .option('-d, --data-query <where>', 'where-clause (dataQuery)')
      .option('-p, --pipeline <uri>', 'pipeline (pipelineYaml)')
      .option('-g, --qgraph <file>', 'start from this quantum graph instead of building one')
      .option('--compute-site <site>', 'site (computeSite)')
      .option('-c, --config <key=value>', 'set a bps setting (repeatable; dotted keys such as pipetask.isr.requestMemory=4096)', collect)
      .option('--resume <submitDir>', 'continue the stages of an earlier submission from its artifacts')
      .option('--json', 'print the result as JSON');
    if (stage === 'submit') cmd.option('--detach', 'run the workflow in a background driver and return at once');
    cmd.action((file: string | undefined, opts: SubmitOptions) => runStagesCommand(stage, file, opts));
  }
}
