import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { Command } from 'commander';
import { pino } from 'pino';
import type { FileDatastoreOptions } from '../../datastore/index.js';
import { BpsError, ExitCode, UsageError } from '../../errors/index.js';
import { expandQuantumIdArguments, runQbb } from '../../exec/index.js';
import { createJobThreadPool, readPreparedPilot, runJobProcesses, runPilotWorker, type JobThreadPool, type RunPilotJob } from '../../sites/index.js';
import { createLogger } from '../../util/index.js';
import { datastoreOptions as datastoreOptionsOf } from '../qg/exec-commands.js';

/** A `qg run-qbb REPO GRAPH --qgraph-node-id IDS [--clobber]` command, parsed. */
export interface RunQbbCommand {
  readonly repo: string;
  readonly graphPath: string;
  readonly ids: readonly string[];
  readonly clobber: boolean;
}

/**
 * Recognises a job command that is exactly `qg run-qbb` (`qg ...` or `node .../qg.js ...`) with
 * only the options the in-process path understands; anything else (pre-command options,
 * `--json`, other programs) is left to a process.
 */
export function parseRunQbbCommand(argv: readonly string[]): RunQbbCommand | undefined {
  const exe = basename(argv[0] ?? '');
  const prefix = exe === 'qg' ? 1 : /^node(js)?(\d+)?$/.test(exe) && /^qg(-bundle)?\.m?js$/.test(basename(argv[1] ?? '')) ? 2 : 0;
  if (prefix === 0 || argv[prefix] !== 'run-qbb') return undefined;
  const positional: string[] = [];
  const ids: string[] = [];
  let clobber = false;
  for (let i = prefix + 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--clobber') clobber = true;
    else if (arg.startsWith('--qgraph-node-id=')) ids.push(arg.slice('--qgraph-node-id='.length));
    else if (arg === '--qgraph-node-id') {
      while (i + 1 < argv.length && !argv[i + 1]!.startsWith('-')) ids.push(argv[++i]!);
    } else if (arg.startsWith('-')) return undefined;
    else positional.push(arg);
  }
  if (positional.length !== 2 || ids.length === 0) return undefined;
  return { repo: positional[0]!, graphPath: positional[1]!, ids, clobber };
}

/** A write stream that creates its file (and directory) only when something is written. */
function lazyFile(path: string): { write(text: string): void; close(): void } {
  let fd: number | undefined;
  return {
    write(text: string): void {
      if (fd === undefined) {
        mkdirSync(dirname(path), { recursive: true });
        fd = openSync(path, 'a');
      }
      writeSync(fd, text);
    },
    close(): void {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

const datastores = new Map<string, FileDatastoreOptions>();

function datastoreOptions(repo: string): FileDatastoreOptions {
  let options = datastores.get(repo);
  if (options === undefined) {
    options = datastoreOptionsOf(repo);
    datastores.set(repo, options);
  }
  return options;
}

/** A `qg run-qbb` job as a job thread gets it. */
interface QbbTask {
  readonly command: RunQbbCommand;
  readonly cwd: string;
  readonly stderr: string;
  readonly level: string;
}

/**
 * Runs a `qg run-qbb` job in a job thread: the graph and datastore stay open between jobs and
 * no process starts, which is what makes thousands of tiny jobs per second possible. Logs go
 * to the attempt's stderr file as `qg run-qbb` writes them, the file created only when there
 * is something to write.
 */
async function runQbbTask(task: QbbTask): Promise<{ exitCode: number }> {
  const { command } = task;
  const stderr = lazyFile(task.stderr);
  const log = pino({ level: task.level, base: undefined }, { write: (line: string) => stderr.write(line) });
  try {
    const { outcomes, exitCode } = await runQbb({
      datastore: datastoreOptions(resolve(task.cwd, command.repo)), graphPath: resolve(task.cwd, command.graphPath),
      quantumIds: expandQuantumIdArguments(command.ids), clobber: command.clobber, log,
    });
    for (const o of outcomes.filter((x) => x.status === 'failed')) stderr.write(`qg: quantum ${o.taskLabel} ${JSON.stringify(o.dataId)} failed: ${o.error}\n  log: ${o.logPath}\n`);
    return { exitCode };
  } catch (err) {
    stderr.write(`qg: error: ${(err as Error).message}\n`);
    return { exitCode: err instanceof BpsError ? err.exitCode : 1 };
  } finally {
    stderr.close();
  }
}

/**
 * The worker's hook: `qg run-qbb` jobs in job threads of this process (unless `processes`),
 * everything else as processes. Threads keep the worker's main thread free to heartbeat during
 * long quanta, run the worker's cores in parallel, and a cancel terminates the job's thread.
 */
export function makePilotJobRunner(options: { readonly processes: boolean }): RunPilotJob {
  let pool: JobThreadPool | undefined;
  return async (job, io) => {
    const command = !options.processes && job.commands.length === 1 ? parseRunQbbCommand(job.commands[0]!) : undefined;
    if (command === undefined) return runJobProcesses(job, io);
    pool ??= createJobThreadPool({ module: new URL(import.meta.url), workerData: { pilotQbbThread: true } });
    const task: QbbTask = { command, cwd: job.cwd, stderr: io.stderr, level: io.env['BPS_LOG_LEVEL'] ?? 'info' };
    try {
      const result = await pool.run<{ exitCode: number }>(task, io.signal);
      return 'aborted' in result ? { exitCode: null, signal: 'SIGTERM' } : { exitCode: result.value.exitCode, signal: null };
    } catch (err) {
      const stderr = lazyFile(io.stderr);
      stderr.write(`bps-ts: the job thread running qg run-qbb died: ${(err as Error).message}\n`);
      stderr.close();
      return { exitCode: 1, signal: null, error: `job thread died: ${(err as Error).message}` };
    }
  };
}

function positiveNumber(value: string, option: string): number {
  const n = Number(value);
  if (!(n > 0)) throw new UsageError(`${option} ${JSON.stringify(value)} is not a positive number`);
  return n;
}

/** Registers the hidden `_pilot-worker` (started on each node of a pilot block by its batch script). */
export function addPilotCommands(program: Command): void {
  program
    .command('_pilot-worker', { hidden: true })
    .requiredOption('--submit-path <dir>', 'submit directory of the run')
    .requiredOption('--block <id>', 'block id')
    .requiredOption('--cpus <n>', 'cores of this worker')
    .requiredOption('--memory <MiB>', 'memory of this worker')
    .option('--ends-at <epochMs>', 'when the block ends')
    .option('--processes', 'run every job as processes (no in-process qg run-qbb)')
    .action(async (opts: { submitPath: string; block: string; cpus: string; memory: string; endsAt?: string; processes?: boolean }) => {
      const log = createLogger();
      const submitPath = resolve(opts.submitPath);
      const prepared = await readPreparedPilot(submitPath);
      const abort = new AbortController();
      for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(s, () => abort.abort());
      const summary = await runPilotWorker({
        submitPath, blockId: opts.block, cpus: positiveNumber(opts.cpus, '--cpus'), memoryMiB: positiveNumber(opts.memory, '--memory'),
        endsAt: opts.endsAt === undefined ? null : positiveNumber(opts.endsAt, '--ends-at'),
        runJob: makePilotJobRunner({ processes: opts.processes === true }), log, signal: abort.signal,
        ...(prepared !== undefined ? { killGraceSeconds: prepared.killGraceSeconds, orphanSeconds: prepared.workerOrphanSeconds } : {}),
      });
      // Leftover handles (kept-alive sockets, open graphs) must not keep the block alive.
      process.exit(summary.reason === 'orphaned' ? ExitCode.site : 0);
    });
}

// Loaded as a job thread by makePilotJobRunner: answer each task with its exit code.
if (!isMainThread && (workerData as { pilotQbbThread?: boolean } | null)?.pilotQbbThread === true) {
  parentPort?.on('message', (task: QbbTask) => {
    void runQbbTask(task).then((result) => parentPort?.postMessage(result));
  });
}
