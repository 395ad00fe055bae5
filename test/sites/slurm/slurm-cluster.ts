import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { queryJobs, type SqueueRow } from '../../../src/sites/slurm/index.js';

/** The dev cluster's config (`scripts/dev-slurm.sh start` prints the line to export). */
export const slurmConf = process.env['SLURM_CONF'];

if (!slurmConf && process.env['CI'] === 'true') {
  throw new Error('CI=true but SLURM_CONF is not set: .ci/run must start Slurm (scripts/dev-slurm.sh start) and export the line it prints.');
}

/** `describe` that runs only against a real cluster, and says so visibly when there is none. */
export function describeSlurm(name: string, body: () => void): void {
  if (!slurmConf) {
    process.stderr.write(`[bps-ts tests] Slurm tests "${name}": SKIPPED (SLURM_CONF not set; run \`scripts/dev-slurm.sh start\` and export the line it prints)\n`);
  }
  describe.runIf(Boolean(slurmConf))(name, body);
}

/** Environment for the Slurm commands under test. */
export const slurmEnv = { SLURM_CONF: slurmConf ?? '' };

/** A fresh directory for one test (jobs write their logs and status files there). */
export function makeTestDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `bps-slurm-${prefix}-`));
}

/** A run id unique to this test process and moment, for job names. */
export function uniqueRunId(label: string): string {
  return `${label}-${process.pid}-${Date.now().toString(36)}`;
}

/** Polls one squeue call for `ids` until `done(rows)` holds; returns the last rows. */
export async function waitForJobs(ids: readonly string[], done: (rows: SqueueRow[]) => boolean, timeoutMs = 45_000): Promise<SqueueRow[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await queryJobs({ jobIds: ids, env: slurmEnv });
    if (done(rows)) return rows;
    if (Date.now() > deadline) throw new Error(`jobs ${ids.join(',')} did not reach the expected states in ${timeoutMs} ms: ${JSON.stringify(rows.map((r) => [r.id, r.state, r.reason]))}`);
    await new Promise((r) => setTimeout(r, 400));
  }
}

const FINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'OUT_OF_MEMORY', 'NODE_FAIL', 'PREEMPTED', 'BOOT_FAIL', 'DEADLINE']);

/** Whether squeue lists a job in a final Slurm state. */
export function isSlurmFinal(row: SqueueRow | undefined): boolean {
  return row !== undefined && FINAL.has(row.state);
}
