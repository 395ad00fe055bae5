import { applyFormatSpec } from '../config/index.js';
import type { TagValue } from './cluster-types.js';

const FIELD = /\{([A-Za-z_][A-Za-z0-9_]*)(?::([^{}]*))?\}/g;

/** Looks up the value of a template field, `undefined` when there is none. */
export type FieldLookup = (name: string) => TagValue | undefined;

/**
 * Fills a cluster-name template (`{label}_{visit:06}`, `{node_number}`) from data-ID values;
 * names with no value become empty, as in the reference. Runs of `_` collapse to one, `/`
 * becomes `_` and leading or trailing `_` are dropped.
 */
export function formatClusterName(template: string, values: Readonly<Record<string, TagValue>>): string {
  return compileClusterName(template)((name) => values[name]);
}

/** Compiles a template once for many quanta (same result as {@link formatClusterName}). */
export function compileClusterName(template: string): (lookup: FieldLookup) => string {
  const parts: (string | { name: string; spec: string })[] = [];
  let last = 0;
  for (const m of template.matchAll(FIELD)) {
    parts.push(template.slice(last, m.index));
    parts.push({ name: m[1]!, spec: m[2] ?? '' });
    last = m.index + m[0].length;
  }
  parts.push(template.slice(last));
  return (lookup) => {
    let out = '';
    for (const p of parts) {
      if (typeof p === 'string') out += p;
      else {
        const v = lookup(p.name);
        if (v !== undefined) out += p.spec === '' ? String(v) : applyFormatSpec(v, p.spec, { key: p.name });
      }
    }
    return tidyName(out);
  };
}

function tidyName(name: string): string {
  // One pass: '/' → '_', runs of '_' collapsed, no '_' at either end.
  let out = '';
  let pendingUnderscore = false;
  for (let i = 0; i < name.length; i++) {
    const c = name[i] === '/' ? '_' : name[i]!;
    if (c === '_') {
      pendingUnderscore = out !== '';
      continue;
    }
    if (pendingUnderscore) out += '_';
    pendingUnderscore = false;
    out += c;
  }
  return out;
}
