import { PipelineError } from './pipeline-errors.js';
import { clonePipelineDocument } from './pipeline-types.js';
import type { ContractDeclaration, PipelineDocument, SubsetModifyMode } from './pipeline-types.js';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Drops contracts that mention `label.` (a label not preceded by an identifier character),
 * the same textual rule as the reference; it may drop more than strictly needed.
 */
export function removeContractsOfLabel(contracts: ContractDeclaration[], label: string): ContractDeclaration[] {
  const pattern = new RegExp(`(^|[^A-Za-z0-9_])${escapeRegExp(label)}[.]`);
  return contracts.filter((c) => !pattern.test(c.contract));
}

/**
 * Returns a copy of `doc` keeping only the given task labels (subset labels are expanded to
 * their tasks). Contracts naming removed tasks are dropped. Subsets that lose tasks are
 * dropped (`DROP`, which also drops subsets that were already empty) or edited (`EDIT`); steps
 * whose subset is gone are dropped.
 */
export function subsetPipeline(doc: PipelineDocument, labels: Iterable<string>, mode: SubsetModifyMode = 'DROP'): PipelineDocument {
  const out = clonePipelineDocument(doc);
  const wanted = new Set<string>();
  for (const label of labels) {
    const subset = out.subsets.get(label);
    if (subset) for (const t of subset.tasks) wanted.add(t);
    else wanted.add(label);
  }
  const extra = [...wanted].filter((l) => !out.tasks.has(l));
  if (extra.length > 0) {
    throw new PipelineError(
      `not all supplied labels (task labels or named subsets) are in the pipeline '${doc.source}'; unknown label(s): ${extra.map((l) => `'${l}'`).join(', ')}`,
      { file: doc.source, label: extra[0], hint: `known task labels: ${[...out.tasks.keys()].slice(0, 12).join(', ')}${out.tasks.size > 12 ? ', ...' : ''}` },
    );
  }
  for (const label of [...out.tasks.keys()]) {
    if (wanted.has(label)) continue;
    out.tasks.delete(label);
    out.contracts = removeContractsOfLabel(out.contracts, label);
  }
  for (const [label, subset] of [...out.subsets]) {
    const missing = [...subset.tasks].filter((t) => !out.tasks.has(t));
    if (missing.length > 0) {
      if (mode === 'DROP') out.subsets.delete(label);
      else for (const m of missing) subset.tasks.delete(m);
    } else if (mode === 'DROP' && subset.tasks.size === 0) {
      // Subsets emptied by an earlier EDIT-mode import are dropped only now, so that a pipeline
      // could still have added tasks back into them in between.
      out.subsets.delete(label);
    }
  }
  out.steps = out.steps.filter((s) => out.subsets.has(s.label));
  return out;
}
