import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SiteError } from '../site-error.js';
import { slurmSitePaths } from './job-spec.js';

/** One sbatch of one workflow job's attempt, as the Slurm site remembers it. */
export interface LedgerEntry {
  readonly job: string;
  readonly attempt: number;
  /** Slurm's id: `123`, or `123_4` for a task of a job array. */
  readonly jobId: string;
  readonly memoryMiB: number;
  /** {@link commandsKey} of the job when submitted. */
  readonly commandsKey: string;
  /** Submitted held (a run-always job whose parents may still be retried): the follower releases it. */
  readonly held: boolean;
  /** Epoch milliseconds. */
  readonly submittedAt: number;
}

/** The file of a submit directory listing every Slurm job submitted for the run (JSON lines, appended). */
export function slurmLedgerFile(submitPath: string): string {
  return join(slurmSitePaths(submitPath).root, 'submitted-jobs.jsonl');
}

/**
 * Appends entries to the ledger in one write. The ledger is how the follower, a restart and
 * `status` from another shell map Slurm ids to workflow jobs and attempts: job names are
 * sanitised for Slurm and may collide, ids never do.
 */
export function appendLedger(submitPath: string, entries: readonly LedgerEntry[]): void {
  if (entries.length === 0) return;
  appendFileSync(slurmLedgerFile(submitPath), entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
}

/** Every entry of a run's ledger, oldest first; `[]` when the run has none. A torn last line (a killed writer) is skipped. */
export function readLedger(submitPath: string): LedgerEntry[] {
  const file = slurmLedgerFile(submitPath);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new SiteError(`cannot read the Slurm job ledger '${file}': ${(cause as Error).message}`, { site: 'slurm', cause, hint: 'check the submit directory is readable' });
  }
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const entries: LedgerEntry[] = [];
  lines.forEach((line, i) => {
    try {
      entries.push(JSON.parse(line) as LedgerEntry);
    } catch (cause) {
      if (i === lines.length - 1 && !text.endsWith('\n')) return;
      throw new SiteError(`line ${i + 1} of the Slurm job ledger '${file}' is not JSON`, { site: 'slurm', cause, hint: 'the file is written by bps-ts; restore it or resubmit the run' });
    }
  });
  return entries;
}

/** The newest entry of each job (highest attempt; the later line among equals). */
export function latestLedgerEntries(entries: readonly LedgerEntry[]): Map<string, LedgerEntry> {
  const latest = new Map<string, LedgerEntry>();
  for (const e of entries) {
    const before = latest.get(e.job);
    if (before === undefined || e.attempt >= before.attempt) latest.set(e.job, e);
  }
  return latest;
}
