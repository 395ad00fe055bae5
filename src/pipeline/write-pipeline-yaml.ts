import { stringify } from 'yaml';
import type { ConfigBlock, PipelineDocument } from './pipeline-types.js';

function blockToPlain(block: ConfigBlock): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (block.python !== undefined) out['python'] = block.python;
  if (block.dataId !== undefined) out['dataId'] = block.dataId;
  if (block.files.length > 0) out['file'] = [...block.files];
  return Object.assign(out, block.values);
}

/**
 * Serializes a pipeline document (after imports, fragment and overrides) as a self-contained
 * pipeline YAML with the reference's layout, plus its `steps` (which the reference omits), so
 * that loading the saved file gives the same pipeline.
 */
export function formatPipelineYaml(doc: PipelineDocument): string {
  const out: Record<string, unknown> = { description: doc.description };
  if (doc.instrument !== undefined) out['instrument'] = doc.instrument;
  if (Object.keys(doc.parameters).length > 0) out['parameters'] = doc.parameters;
  out['tasks'] = Object.fromEntries(
    [...doc.tasks.values()].map((t) => [t.label, t.config.length > 0 ? { class: t.taskClass, config: t.config.map(blockToPlain) } : { class: t.taskClass }]),
  );
  if (doc.contracts.length > 0) {
    out['contracts'] = [...doc.contracts]
      .sort((a, b) => (a.contract < b.contract ? -1 : a.contract > b.contract ? 1 : 0))
      .map((c) => (c.msg === undefined ? { contract: c.contract } : { contract: c.contract, msg: c.msg }));
  }
  if (doc.subsets.size > 0) {
    out['subsets'] = Object.fromEntries(
      [...doc.subsets.values()].map((s) => [s.label, s.description === undefined ? { subset: [...s.tasks] } : { subset: [...s.tasks], description: s.description }]),
    );
  }
  if (doc.steps.length > 0) out['steps'] = doc.steps.map((s) => ({ label: s.label, dimensions: [...s.dimensions] }));
  return stringify(out, { lineWidth: 0, aliasDuplicateObjects: false });
}
