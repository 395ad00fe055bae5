import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { corpusDir, corpusEnv, projectRoot } from '../pipeline/corpus-helpers.js';

const qg = path.join(projectRoot, 'dist/cli/qg.js');
const rc2 = path.join(corpusDir, 'drp_pipe/pipelines/HSC/DRP-RC2.yaml');
const comCam = path.join(corpusDir, 'drp_pipe/pipelines/LSSTComCam/DRP-v2.yaml');

async function runQg(args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const r = await execa('node', [qg, 'pipeline', ...args], { env: { ...corpusEnv, BPS_LOG_LEVEL: 'info' }, reject: false });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

beforeAll(async () => {
  // `npm test` builds first; build here only when running this file on a fresh tree.
  if (!existsSync(qg)) await execa('npm', ['run', 'build'], { cwd: projectRoot, reject: false });
}, 120_000);

describe('qg pipeline', () => {
  it('selects the step1 subset of DRP-RC2', async () => {
    const r = await runQg(['-p', `${rc2}#step1`, '--json']);
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout) as { taskLabels: string[]; fragment: string };
    expect(out.taskLabels.sort()).toEqual(['analyzeAmpOffsetMetadata', 'analyzeCalibrateImageMetadata', 'calibrateImage', 'isr', 'transformPreSourceTable']);
    expect(out.fragment).toBe('step1');
    expect(r.stderr).toMatch(/kept as opaque payloads and were not applied: bps-ts does not run Python/);
  });

  it('selects a data-flow range of the LSSTComCam pipeline and shows its tasks', async () => {
    const r = await runQg(['-p', `${comCam}#isr..standardizeSingleVisitStar`, '--show', 'tasks']);
    expect(r.exitCode).toBe(0);
    const labels = r.stdout.split('\n').slice(2).map((l) => l.split(/\s+/)[0]).filter((l) => l !== '');
    expect(labels.sort()).toEqual(['calibrateImage', 'isr', 'standardizeSingleVisitStar']);
  });

  it('saves an expanded pipeline that loads again to the same counts, and writes a DOT file Graphviz renders', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'qg-pipeline-'));
    const saved = path.join(dir, 'expanded.yaml');
    const dotFile = path.join(dir, 'p.dot');
    const first = await runQg(['-p', `${comCam}#step1a-single-visit-detectors`, '-c', 'isr:doFlat=False', '-s', saved, '--pipeline-dot', dotFile]);
    expect(first.exitCode).toBe(0);
    const again = await runQg(['-p', saved, '--show', 'config=isr::doFlat', '--show', 'subsets']);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('isr.doFlat: false');
    expect(again.stdout).toMatch(/step1a-single-visit-detectors\s+\[visit,detector\]/);
    expect(readFileSync(dotFile, 'utf8')).toContain('"task:calibrateImage"');
    const svg = await execa('dot', ['-Tsvg', dotFile], { reject: false });
    expect(svg.exitCode, `Graphviz dot must be installed: ${String(svg.stderr)}`).toBe(0);
    expect(String(svg.stdout)).toContain('post_isr_image');
  });

  it('fails on an unknown fragment label with exit code 3, naming the file and the label', async () => {
    const r = await runQg(['-p', `${rc2}#nope`]);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/qg: error: .*DRP-RC2\.yaml.*'nope'/);
  });

  it('rejects an unknown --show value as a usage error', async () => {
    const r = await runQg(['-p', rc2, '--show', 'everything']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/unknown --show value 'everything'/);
  });
});
