import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPipeline, loadTaskCatalog } from '../../src/pipeline/index.js';
import { corpusDir, corpusEnv, readCorpusRoots } from './corpus-helpers.js';

const roots = readCorpusRoots();
const catalog = loadTaskCatalog();

describe('corpus root pipelines expand like the reference loader (INDEX.md table)', () => {
  it('finds the 14 root pipelines in INDEX.md', () => {
    expect(roots).toHaveLength(14);
  });
  for (const root of roots) {
    it(`expands ${root.file} to ${root.tasks}/${root.subsets}/${root.steps}/${root.contracts} tasks/subsets/steps/contracts`, () => {
      const expanded = loadPipeline({ uri: path.join(corpusDir, root.file), env: corpusEnv, catalog });
      expect({
        tasks: expanded.tasks.length,
        subsets: expanded.subsets.length,
        steps: expanded.steps.length,
        contracts: expanded.contracts.length,
      }).toEqual({ tasks: root.tasks, subsets: root.subsets, steps: root.steps, contracts: root.contracts });
    });
  }
});
