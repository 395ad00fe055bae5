import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from './config-error.js';
import { emptyLayer, isMapping, joinKeyPath, mergeLayer, type ConfigLayer, type ConfigTree } from './config-tree.js';
import { expandEnvVars, type ConfigEnv } from './expand-env.js';

const INCLUDE_KEY = 'includeConfigs';

/**
 * Reads a bps YAML file into a layer. `includeConfigs` (a file name or a list, at any level of
 * the hierarchy, relative to the including file, `${ENV}` expanded) pulls other files in at
 * that level; the including file's own keys win over included ones, later includes over
 * earlier ones. A file that includes itself, directly or not, is an error naming the chain.
 */
export function readConfigFile(file: string, env: ConfigEnv): ConfigLayer {
  return readFileLayer(resolve(file), env, []);
}

/** Parses YAML text as a bps config document (for tests and in-memory configs). */
export function parseConfigText(text: string, file: string, env: ConfigEnv): ConfigLayer {
  return layerFromDocument(parseDocument(text, file), resolve(file), env, [resolve(file)]);
}

function readFileLayer(file: string, env: ConfigEnv, chain: readonly string[]): ConfigLayer {
  if (chain.includes(file)) {
    throw new ConfigError(`includeConfigs cycle: ${[...chain, file].join(' -> ')}`, {
      file: chain[chain.length - 1] ?? file,
      key: INCLUDE_KEY,
      hint: `remove the includeConfigs entry that points back to '${file}'`,
    });
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    const from = chain.length > 0 ? ` (included from '${chain[chain.length - 1]}')` : '';
    throw new ConfigError(`cannot read bps config '${file}'${from}: ${(cause as Error).message}`, { file, cause, hint: 'check the path; includeConfigs paths are relative to the including file' });
  }
  return layerFromDocument(parseDocument(text, file), file, env, [...chain, file]);
}

function parseDocument(text: string, file: string): ConfigTree {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (cause) {
    throw new ConfigError(`bps config '${file}' is not valid YAML: ${(cause as Error).message}`, { file, cause, hint: 'fix the YAML syntax (indentation, quotes) at the position shown' });
  }
  if (doc === null || doc === undefined) return {};
  if (!isMapping(doc)) throw new ConfigError(`bps config '${file}' must be a YAML mapping, got ${Array.isArray(doc) ? 'a list' : JSON.stringify(doc)}`, { file });
  return doc;
}

function layerFromDocument(doc: ConfigTree, file: string, env: ConfigEnv, chain: readonly string[]): ConfigLayer {
  const layer = emptyLayer();
  layer.origins.set('', file);
  mergeMapping(layer, doc, '', file, env, chain);
  return layer;
}

function mergeMapping(layer: ConfigLayer, node: ConfigTree, prefix: string, file: string, env: ConfigEnv, chain: readonly string[]): void {
  for (const include of includeList(node, prefix, file, env)) {
    mergeLayer(layer, readFileLayer(include, env, chain), prefix);
  }
  const own: ConfigTree = {};
  const nested: [string, ConfigTree][] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === INCLUDE_KEY) continue;
    if (isMapping(value)) nested.push([key, value]);
    else own[key] = value;
  }
  mergeLayer(layer, { tree: own, origins: new Map([['', file]]) }, prefix);
  for (const [key, value] of nested) {
    const path = joinKeyPath(prefix, key);
    mergeLayer(layer, { tree: {}, origins: new Map([['', file]]) }, path);
    mergeMapping(layer, value, path, file, env, chain);
  }
}

function includeList(node: ConfigTree, prefix: string, file: string, env: ConfigEnv): string[] {
  const raw = node[INCLUDE_KEY];
  if (raw === undefined || raw === null) return [];
  const key = joinKeyPath(prefix, INCLUDE_KEY);
  const items = typeof raw === 'string' ? [raw] : raw;
  if (!Array.isArray(items) || items.some((i) => typeof i !== 'string' || i === '')) {
    throw new ConfigError(`'${file}': key '${key}' must be a file name or a list of file names, got ${JSON.stringify(raw)}`, { file, key });
  }
  return (items as string[]).map((item) => {
    const path = expandEnvVars(item, env, { file, key });
    return isAbsolute(path) ? path : resolve(dirname(file), path);
  });
}
