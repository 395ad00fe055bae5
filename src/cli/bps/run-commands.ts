import { hostname } from 'node:os';
import type { Command } from 'commander';
import { cancelRun, driveRun, loadSubmissionConfig, locateRunState, prepareRestart, readSiteType, RunStateStore } from '../../bps/index.js';
import { BPS_DEFAULTS_FILE } from '../../config/index.js';
import { ExitCode } from '../../errors/index.js';
import { getSitePlugin, readProcessStart } from '../../sites/index.js';
import { createLogger } from '../../util/index.js';
import { resolve } from 'node:path';
import { collect, printResult } from '../run-cli.js';
import { bpsHome, driveForeground, siblingQgCommand, spawnDetachedDriver } from './drive-support.js';

/** Registers `restart`, `cancel`, `ping` and the hidden `_drive` (detached driver). */
export function addRunCommands(program: Command): void {
  program
    .command('restart')
    .description('run again what failed or never ran (succeeded quanta are not rerun); -c amends task configs first')
    .requiredOption('--id <run>', 'run id or submit directory')
    .option('-c, --config <label:key=value>', 'task config amendment for the rerun (repeatable)', collect)
    .option('--detach', 'run in a background driver and return at once')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { id: string; config?: string[]; detach?: boolean; json?: boolean }) => {
      const log = createLogger();
      const runState = locateRunState({ id: opts.id, home: bpsHome() });
      const restart = await prepareRestart({ runState, amendments: opts.config ?? [], log });
      let succeeded: boolean | null = null;
      let detached: { pid: number; logFile: string } | null = null;
      if (restart.submission !== null) {
        if (opts.detach) {
          detached = spawnDetachedDriver(runState, restart.submission);
          const store = RunStateStore.open(runState);
          store.adoptSubmission(restart.submission, { driverHost: hostname(), driverPid: detached.pid, driverPidStart: readProcessStart(detached.pid) });
          store.close();
        } else {
          const counts = await driveForeground(runState, restart.submission, log);
          succeeded = counts.succeeded === Object.values(counts).reduce((a, b) => a + b, 0);
        }
      }
      printResult(opts.json === true, { ...restart, succeeded, detachedDriver: detached }, () =>
        restart.submission === null ? `Run ${restart.runId} has already succeeded; nothing to restart.`
          : detached ? `Restarted ${restart.runId} in the background (pid ${detached.pid}, log ${detached.logFile}).`
          : `Restart of ${restart.runId} ${succeeded ? 'succeeded' : `did not succeed: bps-ts report --id ${restart.runId} --failed`}.`,
      );
      if (succeeded === false) process.exitCode = ExitCode.execution;
    });

  program
    .command('cancel')
    .description('stop a run: running jobs are killed and recorded as deleted')
    .requiredOption('--id <run>', 'run id or submit directory')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { id: string; json?: boolean }) => {
      const result = await cancelRun({ runState: locateRunState({ id: opts.id, home: bpsHome() }), log: createLogger() });
      printResult(opts.json === true, result, () => `${result.runId}: ${result.state.toUpperCase()}${result.stopped ? ` (${result.stopped} running job(s) stopped)` : ''}`);
    });

  program
    .command('ping')
    .description('check that a site can run jobs')
    .argument('[config]', 'bps submit YAML (default: the built-in defaults, local site)')
    .option('--compute-site <site>', 'site to check')
    .option('--json', 'print the result as JSON')
    .action(async (file: string | undefined, opts: { computeSite?: string; json?: boolean }) => {
      const config = loadSubmissionConfig({
        input: { configFile: file ? resolve(file) : BPS_DEFAULTS_FILE, overrides: opts.computeSite ? { computeSite: opts.computeSite } : {}, cwd: process.cwd(), submittedAt: new Date().toISOString() },
        env: process.env, qgCommand: siblingQgCommand(),
      });
      const site = readSiteType(config);
      const result = await getSitePlugin(site).ping({ config });
      printResult(opts.json === true, { site, ...result }, () => `${result.ok ? 'OK' : 'FAILED'} ${result.detail}`);
      if (!result.ok) process.exitCode = ExitCode.site;
    });

  program
    .command('_drive', { hidden: true })
    .argument('<runState>')
    .argument('<submission>')
    .action(async (runState: string, submission: string) => {
      await driveRun({ runState, submission: Number(submission), log: createLogger(), signal: abortOnSignals() });
    });
}

function abortOnSignals(): AbortSignal {
  const abort = new AbortController();
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(s, () => abort.abort());
  return abort.signal;
}
