/** A parsed configuration mapping (YAML mapping → plain object). */
export type ConfigTree = Record<string, unknown>;

/** A configuration tree plus, for every key path (`payload.outputRun`), the file it came from. */
export interface ConfigLayer {
  readonly tree: ConfigTree;
  readonly origins: Map<string, string>;
}

/** Whether a value is a mapping (not null, not a list). */
export function isMapping(value: unknown): value is ConfigTree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Joins a key path the way error messages show it. */
export function joinKeyPath(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}

function cloneValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneValue);
  if (isMapping(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneValue(v)]));
  return value;
}

function recordOrigins(value: unknown, path: string, origin: (path: string) => string, origins: Map<string, string>): void {
  origins.set(path, origin(path));
  if (isMapping(value)) for (const [k, v] of Object.entries(value)) recordOrigins(v, joinKeyPath(path, k), origin, origins);
}

function dropOrigins(origins: Map<string, string>, path: string): void {
  const prefix = `${path}.`;
  for (const key of [...origins.keys()]) if (key === path || key.startsWith(prefix)) origins.delete(key);
}

/**
 * Merges `source` into `target` (mutating it) under the key path `prefix`: mappings merge key
 * by key, anything else (scalars, lists) replaces. Origins follow the winning values.
 */
export function mergeLayer(target: ConfigLayer, source: ConfigLayer, prefix = ''): void {
  const originOf = (path: string): string => {
    const rel = prefix === '' ? path : path.slice(prefix.length + 1);
    return source.origins.get(rel) ?? source.origins.get('') ?? 'unknown';
  };
  let node: ConfigTree = target.tree;
  let path = '';
  for (const part of prefix === '' ? [] : prefix.split('.')) {
    path = joinKeyPath(path, part);
    if (!isMapping(node[part])) {
      node[part] = {};
      target.origins.set(path, originOf(path));
    }
    node = node[part] as ConfigTree;
  }
  mergeTree(node, source.tree, prefix, originOf, target.origins);
}

function mergeTree(target: ConfigTree, source: ConfigTree, prefix: string, origin: (path: string) => string, origins: Map<string, string>): void {
  for (const [key, value] of Object.entries(source)) {
    const path = joinKeyPath(prefix, key);
    const current = target[key];
    if (isMapping(value) && isMapping(current)) {
      mergeTree(current, value, path, origin, origins);
    } else {
      dropOrigins(origins, path);
      target[key] = cloneValue(value);
      recordOrigins(value, path, origin, origins);
    }
  }
}

/** A layer holding one plain object, every key attributed to `origin`. */
export function layerFromObject(tree: ConfigTree, origin: string): ConfigLayer {
  const origins = new Map<string, string>([['', origin]]);
  const copy = cloneValue(tree) as ConfigTree;
  for (const [k, v] of Object.entries(copy)) recordOrigins(v, k, () => origin, origins);
  return { tree: copy, origins };
}

/** An empty layer. */
export function emptyLayer(): ConfigLayer {
  return { tree: {}, origins: new Map() };
}

/** The value at a dotted key path, or `undefined`. */
export function getPath(tree: ConfigTree, path: string): unknown {
  let node: unknown = tree;
  for (const part of path.split('.')) {
    if (!isMapping(node) || !Object.hasOwn(node, part)) return undefined;
    node = node[part];
  }
  return node;
}
