import { parseExpression } from './expression-parser.js';
import type { ExpressionNode } from './expression-parser.js';

/** A configuration value, as YAML or a `-c` override can express it. */
export type ConfigValue = null | boolean | number | string | ConfigValue[] | ConfigObject;
/** A (nested) task configuration: dotted keys address nested mappings. */
export interface ConfigObject {
  [key: string]: ConfigValue;
}

/** True when `value` is a mapping (not a list, not null). */
export function isConfigObject(value: unknown): value is ConfigObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep copy of a config value. */
export function cloneConfigValue<T extends ConfigValue>(value: T): T {
  return structuredClone(value);
}

/** Structural equality of two config values (numbers compare like Python: 1 == 1.0). */
export function equalConfigValues(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equalConfigValues(x, b[i]));
  if (isConfigObject(a) && isConfigObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && equalConfigValues(a[k], b[k]));
  }
  return false;
}

/** Marker for a config path that does not exist. */
export const MISSING: unique symbol = Symbol('missing');

/** Reads a dotted path (`a.b.c`) of a config; {@link MISSING} when any part is absent. */
export function getConfigPath(config: ConfigObject, path: string): ConfigValue | typeof MISSING {
  let node: ConfigValue = config;
  for (const part of path.split('.')) {
    if (!isConfigObject(node) || !(part in node)) return MISSING;
    node = node[part] as ConfigValue;
  }
  return node;
}

/**
 * Sets a dotted path of a config. A mapping assigned onto an existing mapping is merged into
 * it (like assigning a dict to a sub-config); anything else replaces the old value.
 */
export function setConfigPath(config: ConfigObject, path: string, value: ConfigValue): void {
  const parts = path.split('.');
  const last = parts.pop() as string;
  let node = config;
  for (const part of parts) {
    const child = node[part];
    if (!isConfigObject(child)) node[part] = {};
    node = node[part] as ConfigObject;
  }
  const old = node[last];
  if (isConfigObject(old) && isConfigObject(value)) {
    for (const [k, v] of Object.entries(value)) setConfigPath(old, k, cloneConfigValue(v));
  } else {
    node[last] = cloneConfigValue(value);
  }
}

/** Flattens a nested config into `[dotted key, leaf value]` pairs (lists are leaves). */
export function flattenConfig(config: ConfigObject, prefix = ''): Array<[string, ConfigValue]> {
  const out: Array<[string, ConfigValue]> = [];
  for (const [key, value] of Object.entries(config)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (isConfigObject(value) && Object.keys(value).length > 0) out.push(...flattenConfig(value, path));
    else out.push([path, value]);
  }
  return out;
}

const LOWERCASE_WORDS: Record<string, ConfigValue> = { true: true, false: false, null: null };

function literalOf(node: ExpressionNode): ConfigValue {
  switch (node.type) {
    case 'literal':
      return node.value;
    case 'name':
      return node.name in LOWERCASE_WORDS ? (LOWERCASE_WORDS[node.name] as ConfigValue) : node.name;
    case 'unary': {
      const v = literalOf(node.operand);
      if (node.op === '-' && typeof v === 'number') return -v;
      throw new Error('not a literal');
    }
    case 'list':
      return node.items.map(literalOf);
    case 'dict': {
      const out: ConfigObject = {};
      for (const [k, v] of node.entries) out[String(literalOf(k))] = literalOf(v);
      return out;
    }
    default:
      throw new Error('not a literal');
  }
}

/**
 * Turns the text of a `-c label:key=value` override into a value the way the reference's
 * config override parser does: Python literals (ints, floats, `True`/`False`/`None`, quoted
 * strings, lists, dicts), plus `true`/`false`/`null`; a bare word is a string, and anything
 * that is not a literal (a URI, a path) stays the raw string.
 */
export function parseConfigValueText(text: string): ConfigValue {
  try {
    return literalOf(parseExpression(text));
  } catch {
    return text;
  }
}
