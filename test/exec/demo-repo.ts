import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBin } from '../support/cli.js';

/** Writes the default demo data and a set-up SQLite repository in a new temp dir. */
export async function makeDemoRepo(): Promise<{ dir: string; data: string; repo: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'bps-exec-'));
  const data = join(dir, 'data');
  const repo = join(dir, 'repo');
  for (const args of [['make-demo-data', data], ['create', repo], ['setup-demo', repo, data]]) {
    const r = await runBin('butler-ts', args);
    if (r.exitCode !== 0) throw new Error(`butler-ts ${args.join(' ')} failed: ${r.stderr}`);
  }
  return { dir, data, repo };
}

/** The DESDM execution table (seed 003) for the default demo data. */
export const DESDM_COUNTS: Record<string, number> = {
  processCcd: 16,
  makeCoaddTempExp: 32,
  assembleCoadd: 8,
  detectCoaddSources: 8,
  mergeCoaddDetections: 4,
  measureCoaddSources: 8,
  mergeCoaddMeasurements: 4,
  forcedPhotCoadd: 8,
};
