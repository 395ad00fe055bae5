import type { BpsConfig } from '../../../src/config/index.js';
import type { SubmitOptions } from '../../../src/sites/index.js';
import { latestLedgerEntries, readLedger, slurmSite, type LedgerEntry } from '../../../src/sites/slurm/index.js';
import { createSilentLogger } from '../../../src/util/index.js';
import type { GenericWorkflowJob } from '../../../src/workflow/index.js';
import { makeSiteConfig, makeWorkflow, MemoryRecorder } from '../site-fixtures.js';
import { slurmConf } from './slurm-cluster.js';

/** A config selecting the dev cluster's Slurm site, unthrottled, polling every second. */
export function makeSlurmConfig(settings: Record<string, unknown> = {}): BpsConfig {
  return makeSiteConfig('slurm', { submissionsPerSecond: 0, pollSeconds: 1, ...settings });
}

/** Whether the dev cluster is there (the reason otherwise). */
export async function isSlurmAvailable(): Promise<true | string> {
  if (!slurmConf) return 'SLURM_CONF is not set: run `scripts/dev-slurm.sh start` and export the line it prints';
  const ping = await slurmSite.ping({ config: makeSlurmConfig() });
  return ping.ok ? true : ping.detail;
}

/** A submitted Slurm run of a test. */
export interface TestRun {
  readonly options: SubmitOptions;
  readonly siteRunId: string;
  readonly recorder: MemoryRecorder;
}

/** Prepares and submits `jobs` in a fresh submit directory (or `submitPath`), without following. */
export async function submitSlurmRun(jobs: readonly GenericWorkflowJob[], extra: Partial<SubmitOptions> & { settings?: Record<string, unknown>; submitPath?: string; name?: string } = {}): Promise<TestRun> {
  const { settings, submitPath, name, ...rest } = extra;
  const base = makeWorkflow(jobs, submitPath);
  const workflow = name === undefined ? base : { ...base, name };
  const log = createSilentLogger();
  const prepared = await slurmSite.prepare({ workflow, config: makeSlurmConfig(settings), submitPath: workflow.submitPath, cwd: workflow.submitPath, log });
  const recorder = new MemoryRecorder();
  const options: SubmitOptions = { workflow, prepared, recorder, log, ...rest };
  const { siteRunId } = await slurmSite.submit(options);
  return { options, siteRunId, recorder };
}

/** Follows a submitted run to its end (what the driver does), failing after `timeoutMs`. */
export async function followToEnd(run: Pick<TestRun, 'options' | 'siteRunId'>, timeoutMs = 150_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Slurm run ${run.siteRunId} did not end within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([slurmSite.follow!(run.options, run.siteRunId), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Every sbatch of a run, and the newest per job. */
export function ledgerOf(submitPath: string): { all: LedgerEntry[]; latest: Map<string, LedgerEntry> } {
  const all = readLedger(submitPath);
  return { all, latest: latestLedgerEntries(all) };
}
