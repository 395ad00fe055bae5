import { PipelineError } from './pipeline-errors.js';
import type { ImportDeclaration } from './parse-pipeline-document.js';
import type { PipelineDocument } from './pipeline-types.js';
import { subsetPipeline } from './subset-pipeline.js';

/**
 * Applies one import's selection to the already loaded imported pipeline: instrument override,
 * `rename`, `include`/`exclude` (task or subset labels), `importSteps`, `importContracts`,
 * with `labeledSubsetModifyMode` deciding what happens to subsets that lose tasks.
 */
export function applyImportSelection(decl: ImportDeclaration, loaded: PipelineDocument): PipelineDocument {
  const where = { file: decl.source, key: 'imports' };
  if (decl.include !== undefined && decl.exclude !== undefined) {
    throw new PipelineError(`an include list and an exclude list cannot both be specified for the import of '${decl.location}' in '${decl.source}'`, where);
  }
  const renameKeys = Object.keys(decl.rename);
  const renameValues = new Set(Object.values(decl.rename));
  if (renameValues.size !== renameKeys.length) {
    throw new PipelineError(`rename of import '${decl.location}' in '${decl.source}' must not map two labels to the same new label`, where);
  }
  const both = renameKeys.filter((k) => renameValues.has(k));
  if (both.length > 0) {
    throw new PipelineError(`rename of import '${decl.location}' in '${decl.source}': label(s) ${both.join(', ')} appear both as old and new labels`, where);
  }
  const doc = { ...loaded, tasks: new Map(loaded.tasks) };
  if (decl.instrument.kind === 'set') doc.instrument = decl.instrument.value;
  const include = decl.include === undefined ? undefined : [...decl.include];
  const included = new Set<string>();
  const renamed = new Map<string, string>();
  for (const label of doc.tasks.keys()) {
    const isIncluded = include !== undefined && include.includes(label);
    const keep = isIncluded || (decl.exclude !== undefined && !decl.exclude.includes(label)) || (include === undefined && decl.exclude === undefined);
    if (!keep) continue;
    const newLabel = decl.rename[label];
    if (newLabel !== undefined) {
      renamed.set(label, newLabel);
      if (isIncluded && include) include[include.indexOf(label)] = newLabel;
    }
    included.add(newLabel ?? label);
  }
  const errors: string[] = [];
  for (const [label, newLabel] of renamed) {
    if (doc.tasks.has(newLabel)) errors.push(`can't rename '${label}' to existing label '${newLabel}'`);
  }
  if (errors.length > 0) throw new PipelineError(`${errors.join('; ')} (import of '${decl.location}' in '${decl.source}')`, where);
  if (renamed.size > 0) {
    doc.tasks = new Map([...doc.tasks].map(([label, task]) => {
      const newLabel = renamed.get(label);
      return newLabel === undefined ? [label, task] : [newLabel, { ...task, label: newLabel }];
    }));
  }
  if (include !== undefined) {
    for (const label of include) {
      const subset = doc.subsets.get(label);
      if (subset) for (const t of subset.tasks) included.add(t);
    }
  } else if (decl.exclude !== undefined) {
    for (const label of decl.exclude) {
      const subset = doc.subsets.get(label);
      if (subset) for (const t of subset.tasks) included.delete(t);
    }
  }
  if (!decl.importSteps) doc.steps = [];
  const selected = subsetPipeline(doc, included, decl.labeledSubsetModifyMode);
  if (!decl.importContracts) selected.contracts = [];
  return selected;
}
