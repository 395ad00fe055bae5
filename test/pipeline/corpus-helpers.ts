import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Project root (two levels above this file). */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The pipeline corpus folder. */
export const corpusDir = path.resolve(projectRoot, '../shared/corpus/pipelines');

/** Environment variables INDEX.md asks for, pointing into the corpus. */
export const corpusEnv: Record<string, string> = {
  DRP_PIPE_DIR: `${corpusDir}/drp_pipe`,
  ANALYSIS_TOOLS_DIR: `${corpusDir}/analysis_tools`,
  MEAS_EXTENSIONS_MULTIPROFIT_DIR: `${corpusDir}/meas_extensions_multiprofit`,
  TESTDIR: `${corpusDir}/pipe_base/tests`,
  CI_HSC_GEN3_DIR: `${corpusDir}/ci_hsc_gen3`,
};

/** One root row of INDEX.md's summary table. */
export interface CorpusRoot {
  file: string;
  tasks: number;
  subsets: number;
  steps: number;
  contracts: number;
}

/** Reads the root rows (file and expected expansion counts) of the corpus INDEX.md. */
export function readCorpusRoots(): CorpusRoot[] {
  const text = readFileSync(path.join(corpusDir, 'INDEX.md'), 'utf8');
  const rows: CorpusRoot[] = [];
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells[2] !== 'root') continue;
    const counts = /^(\d+)\/(\d+)\/(\d+)\/(\d+)$/.exec(cells[6] ?? '');
    if (counts === null) throw new Error(`unexpected INDEX.md row: ${line}`);
    rows.push({ file: (cells[1] ?? '').replace(/`/g, ''), tasks: Number(counts[1]), subsets: Number(counts[2]), steps: Number(counts[3]), contracts: Number(counts[4]) });
  }
  return rows;
}

/** Runs `fn` and returns what it threw (fails the test when it does not throw). */
export function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error, none was thrown');
}
