import type { Command } from 'commander';
import {
  buildRunDetails, collectFailures, formatFailures, formatRunDetails, formatRunList, listRuns, locateRunState, readRunSnapshot, readRunStatus, RUN_STATE_EXIT_CODE, RunStateStore,
} from '../../bps/index.js';
import { UsageError } from '../../errors/index.js';
import { collect, printResult } from '../run-cli.js';
import { bpsHome } from './drive-support.js';

function parseDataId(values: readonly string[] | undefined): Record<string, string> | undefined {
  if (!values || values.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const v of values.flatMap((x) => x.split(/[\s,]+/)).filter((x) => x !== '')) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new UsageError(`--data-id '${v}' must look like key=value`, { hint: 'e.g. --data-id visit=100 --data-id detector=1' });
    out[v.slice(0, eq)] = v.slice(eq + 1).replace(/^'(.*)'$/, '$1');
  }
  return out;
}

function withStore<T>(id: string, fn: (store: RunStateStore) => Promise<T>): Promise<T> {
  const store = RunStateStore.open(locateRunState({ id, home: bpsHome() }));
  return fn(store).finally(() => store.close());
}

async function printFailures(id: string, opts: { label?: string; dataId?: string[]; pattern?: string[]; json?: boolean }): Promise<void> {
  await withStore(id, async (store) => {
    const snapshot = await readRunSnapshot(store);
    const dataId = parseDataId(opts.dataId);
    const failures = collectFailures(snapshot, { ...(opts.label ? { label: opts.label } : {}), ...(dataId ? { dataId } : {}), ...(opts.pattern?.length ? { patterns: opts.pattern } : {}) });
    printResult(opts.json === true, failures, () => formatFailures(failures));
  });
}

/** Registers `report`, `logs` and `status`. */
export function addReportCommands(program: Command): void {
  program
    .command('report')
    .description('summarise runs; with --id one run (jobs and quanta per label, error counts); with --failed its failures')
    .option('--id <run>', 'run id (or unique prefix) or submit directory')
    .option('--failed', 'list failed quanta with error lines and log paths, blocked quanta under them')
    .option('--hist <days>', 'also list runs finished in the last DAYS days', Number)
    .option('--user <name>', "only this user's runs")
    .option('--json', 'print JSON')
    .action(async (opts: { id?: string; failed?: boolean; hist?: number; user?: string; json?: boolean }) => {
      if (opts.id === undefined) {
        if (opts.failed) throw new UsageError('--failed needs --id RUN.');
        if (opts.hist !== undefined && !(opts.hist >= 0)) throw new UsageError(`--hist '${String(opts.hist)}' is not a number of days.`);
        const rows = await listRuns({ home: bpsHome(), ...(opts.hist !== undefined ? { histDays: opts.hist } : {}), ...(opts.user ? { user: opts.user } : {}) });
        printResult(opts.json === true, rows, () => formatRunList(rows));
        return;
      }
      if (opts.failed) return printFailures(opts.id, opts);
      await withStore(opts.id, async (store) => {
        const details = await buildRunDetails(store);
        printResult(opts.json === true, details, () => formatRunDetails(details));
      });
    });

  program
    .command('logs')
    .description('failed quanta of a run with the matching error lines of their logs and the log paths')
    .requiredOption('--id <run>', 'run id or submit directory')
    .option('--label <label>', 'only this task (or job) label')
    .option('--data-id <key=value>', 'only quanta with this data-ID value (repeatable)', collect)
    .option('--pattern <regex>', 'error-line pattern instead of the run\'s errorPatterns (repeatable)', collect)
    .option('--json', 'print JSON')
    .action((opts: { id: string; label?: string; dataId?: string[]; pattern?: string[]; json?: boolean }) => printFailures(opts.id, opts));

  program
    .command('status')
    .description(`state of a run; exit code ${Object.entries(RUN_STATE_EXIT_CODE).map(([s, c]) => `${c} ${s}`).join(', ')}`)
    .requiredOption('--id <run>', 'run id or submit directory')
    .option('--json', 'print JSON')
    .action(async (opts: { id: string; json?: boolean }) => {
      await withStore(opts.id, async (store) => {
        const s = await readRunStatus(store);
        const meta = store.metadata();
        printResult(opts.json === true, { id: meta.id, state: s.state, percentSucceeded: s.percentSucceeded, jobs: s.jobCounts, driverAlive: s.driverAlive, exitCode: RUN_STATE_EXIT_CODE[s.state] }, () => `${s.state.toUpperCase()} ${meta.id} (${s.percentSucceeded}% of jobs succeeded)`);
        process.exitCode = RUN_STATE_EXIT_CODE[s.state];
      });
    });
}
