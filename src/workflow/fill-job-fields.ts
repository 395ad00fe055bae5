import { applyFormatSpec } from '../config/index.js';
import type { TagValue } from '../cluster/index.js';
import { WorkflowError } from './workflow-error.js';

const FIELD = /\{([A-Za-z_][A-Za-z0-9_]*)(?::([^{}]*))?\}/g;

/** Value of a per-job field (`qgraphNodeId`, `jobName`, a data-ID value), `undefined` if none. */
export type JobFieldLookup = (name: string) => TagValue | undefined;

/** A text with per-job fields, compiled once per label and filled per job. */
export type JobText = (lookup: JobFieldLookup) => string;

/**
 * Compiles the per-job fields left in a text after config substitution. Only the names in
 * `names` are fields; one without a value becomes empty (`missing: 'blank'`) or is an error
 * naming the text's key.
 */
export function compileJobText(text: string, options: { names: ReadonlySet<string>; missing: 'blank' | 'error'; key: string }): JobText {
  const parts: (string | { name: string; spec: string })[] = [];
  let last = 0;
  for (const m of text.matchAll(FIELD)) {
    if (!options.names.has(m[1]!)) continue;
    parts.push(text.slice(last, m.index));
    parts.push({ name: m[1]!, spec: m[2] ?? '' });
    last = m.index + m[0].length;
  }
  if (parts.length === 0) return () => text;
  parts.push(text.slice(last));
  return (lookup) => {
    let out = '';
    for (const p of parts) {
      if (typeof p === 'string') {
        out += p;
        continue;
      }
      const v = lookup(p.name);
      if (v === undefined) {
        if (options.missing === 'blank') continue;
        throw new WorkflowError(`'{${p.name}}' in '${options.key}' has no value for this job`, { key: options.key, hint: `remove '{${p.name}}' or use a field every job has` });
      }
      out += p.spec === '' ? String(v) : applyFormatSpec(v, p.spec, { key: p.name });
    }
    return out;
  };
}
