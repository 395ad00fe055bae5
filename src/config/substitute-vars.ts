import { ConfigError } from './config-error.js';
import { applyFormatSpec } from './format-spec.js';

/** How one `{name}` reference is resolved: a scalar to insert, or `undefined` when nothing defines it. */
export type VarLookup = (name: string) => unknown;

/** Where the text being substituted came from, for error messages. */
export interface SubstituteContext {
  readonly key: string;
  readonly file: string | undefined;
  readonly lookup: VarLookup;
  /** Names left verbatim as `{name}` (filled later, e.g. per job). */
  readonly keep: (name: string) => boolean;
  readonly undefinedVars: 'error' | 'blank';
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Replaces `{name}` and `{name:spec}` in a text. `{{` and `}}` stand for literal braces,
 * `${ENV}` references and anything that does not look like a variable are copied verbatim.
 */
export function substituteVars(text: string, ctx: SubstituteContext): string {
  if (!text.includes('{') && !text.includes('}')) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '$' && text[i + 1] === '{') {
      const close = text.indexOf('}', i);
      const end = close < 0 ? text.length : close + 1;
      out += text.slice(i, end);
      i = end;
    } else if (c === '{' && text[i + 1] === '{') {
      out += '{';
      i += 2;
    } else if (c === '}' && text[i + 1] === '}') {
      out += '}';
      i += 2;
    } else if (c === '{') {
      const close = text.indexOf('}', i + 1);
      const inner = close < 0 ? '' : text.slice(i + 1, close);
      const colon = inner.indexOf(':');
      const name = (colon < 0 ? inner : inner.slice(0, colon)).trim();
      if (close < 0 || inner.includes('{') || !NAME.test(name)) {
        out += c;
        i += 1;
        continue;
      }
      out += ctx.keep(name) ? text.slice(i, close + 1) : resolveOne(name, colon < 0 ? '' : inner.slice(colon + 1), ctx);
      i = close + 1;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

function resolveOne(name: string, spec: string, ctx: SubstituteContext): string {
  const value = ctx.lookup(name);
  const where = ctx.file === undefined ? '' : ` (${ctx.file})`;
  if (value === undefined) {
    if (ctx.undefinedVars === 'blank') return '';
    throw new ConfigError(`undefined variable '{${name}}' in the value of '${ctx.key}'${where}`, {
      key: ctx.key,
      ...(ctx.file === undefined ? {} : { file: ctx.file }),
      hint: `define '${name}' in the submit YAML (at the top level or under payload:), or pass -c ${name}=VALUE`,
    });
  }
  if (value === null) return '';
  if (Array.isArray(value)) return value.map((v) => String(v)).join(',');
  if (typeof value === 'object') {
    throw new ConfigError(`'{${name}}' in the value of '${ctx.key}'${where} names a section, not a value`, {
      key: ctx.key,
      ...(ctx.file === undefined ? {} : { file: ctx.file }),
      hint: `use a key that holds a string or number, e.g. '{${name}.someKey}'`,
    });
  }
  const scalar = value as string | number | boolean;
  return applyFormatSpec(scalar, spec, { key: name, ...(ctx.file === undefined ? {} : { file: ctx.file }) });
}
