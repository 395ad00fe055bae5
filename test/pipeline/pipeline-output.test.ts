import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatPipelineDot, formatPipelineYaml, loadPipeline, loadTaskCatalog, resolvePipelineGraph } from '../../src/pipeline/index.js';
import type { ExpandedPipeline } from '../../src/pipeline/index.js';
import { corpusDir, corpusEnv } from './corpus-helpers.js';
import { DEMO_PIPELINE, writeFixtures } from './fixtures.js';

const catalog = loadTaskCatalog();

function summary(p: ExpandedPipeline): unknown {
  return {
    instrument: p.instrument,
    parameters: p.parameters,
    tasks: p.tasks.map((t) => [t.label, t.taskClass, t.config]),
    subsets: p.subsets.map((s) => [s.label, [...s.tasks].sort(), s.description]),
    steps: p.steps.map((s) => [s.label, s.dimensions]),
    contracts: p.contracts.map((c) => [c.contract, c.msg]).sort(),
  };
}

describe('saved expanded pipelines', () => {
  for (const file of ['drp_pipe/pipelines/LSSTComCam/DRP-v2.yaml', 'drp_pipe/pipelines/HSC/DRP-RC2.yaml', 'pipe_base/tests/pipelines/step-exclusion.yaml']) {
    it(`loads the saved expansion of ${file} to the same pipeline`, () => {
      const first = loadPipeline({ uri: path.join(corpusDir, file), env: corpusEnv, catalog, overrides: { config: ['isr:doFlat=False'].filter(() => !file.includes('step-')) } });
      const dir = writeFixtures({ 'saved.yaml': formatPipelineYaml(first.document) });
      const again = loadPipeline({ uri: path.join(dir, 'saved.yaml'), catalog });
      expect(summary(again)).toEqual(summary(first));
      expect(again.tasks.length).toBeGreaterThan(1);
    });
  }
});

describe('pipeline DOT output', () => {
  it('renders with Graphviz dot (Debian package graphviz must be installed)', () => {
    const dir = writeFixtures({ 'demo.yaml': DEMO_PIPELINE });
    const graph = resolvePipelineGraph(loadPipeline({ uri: path.join(dir, 'demo.yaml'), catalog }), catalog);
    const dotFile = path.join(dir, 'demo.dot');
    writeFileSync(dotFile, formatPipelineDot(graph));
    let svg: string;
    try {
      svg = execFileSync('dot', ['-Tsvg', dotFile], { encoding: 'utf8' });
    } catch (err) {
      throw new Error(`Graphviz 'dot' failed or is missing (install Debian's graphviz): ${(err as Error).message}`);
    }
    expect(svg).toContain('<svg');
    expect(svg).toContain('deepCoadd_directWarp');
  });

  it('marks tasks whose classes are not in the catalog', () => {
    const p = loadPipeline({ uri: `${path.join(corpusDir, 'drp_pipe/pipelines/HSC/DRP-RC2.yaml')}#step1`, env: corpusEnv, catalog });
    const dot = formatPipelineDot(resolvePipelineGraph(p, catalog, { allowMissingClasses: true }));
    expect(dot).toMatch(/"task:analyzeAmpOffsetMetadata" \[shape=box, [^\]]*class not in catalog/);
  });
});
