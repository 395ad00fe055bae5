import type { ConfigObject, ConfigValue } from '../pipeline/index.js';
import { TaskInputError } from './task-errors.js';

/** One group of arguments repeated per input of a connection (DESDM's `per_file_cmdline`). */
export interface PerFileArgs {
  connection: string;
  args: string | string[];
}

/** A list file written before the run: one line per input, blank-separated columns. */
export interface ListFileSpec {
  connections: string[];
  /** `path` or data ID keys of each input (e.g. path, visit, detector, band). */
  columns: string[];
  /** Write a leading `# col1 col2` line. */
  header: boolean;
}

/** The validated config of a command task. */
export interface CommandConfig {
  executable: string;
  args: string | string[];
  perFileArgs: PerFileArgs[];
  listFiles: Record<string, ListFileSpec>;
  env: Record<string, string>;
  timeoutSeconds: number;
}

function fail(label: string, key: string, message: string, hint: string): never {
  throw new TaskInputError(`task '${label}': config '${key}' ${message}`, { task: label, key, hint });
}

function stringList(label: string, key: string, value: ConfigValue | undefined): string | string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) return value.map(String);
  return fail(label, key, `is ${JSON.stringify(value)}, expected a string or a list of strings`, `e.g. ${key}: ['--visit', '{visit}']`);
}

function parsePerFile(label: string, value: ConfigValue | undefined): PerFileArgs[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((item, i) => {
    const key = `perFileArgs[${i}]`;
    // DESDM form: 'connection:--selectId visit={visit} ccd={detector}'.
    if (typeof item === 'string') {
      const colon = item.indexOf(':');
      if (colon <= 0) fail(label, key, `is '${item}', expected 'connection:args'`, "e.g. 'calexps:-i {path}'");
      return { connection: item.slice(0, colon).trim(), args: item.slice(colon + 1) };
    }
    if (typeof item !== 'object' || item === null || Array.isArray(item) || typeof item['connection'] !== 'string') {
      return fail(label, key, `is ${JSON.stringify(item)}, expected {connection, args}`, "e.g. {connection: calexps, args: ['-i', '{path}']}");
    }
    return { connection: item['connection'], args: stringList(label, `${key}.args`, item['args']) };
  });
}

function parseListFiles(label: string, value: ConfigValue | undefined): Record<string, ListFileSpec> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) return fail(label, 'listFiles', `is ${JSON.stringify(value)}, expected a mapping of list names`, 'e.g. listFiles: {inputs: {connection: calexps, columns: [path, visit]}}');
  const out: Record<string, ListFileSpec> = {};
  for (const [name, spec] of Object.entries(value)) {
    const key = `listFiles.${name}`;
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) fail(label, key, 'must be a mapping', '{connection: ..., columns: [...]}');
    const connection = spec['connection'];
    const connections = typeof connection === 'string' ? [connection] : Array.isArray(connection) ? connection.map(String) : fail(label, `${key}.connection`, 'is missing', 'name the input connection(s) to list');
    const columns = stringList(label, `${key}.columns`, spec['columns'] ?? ['path']);
    out[name] = { connections, columns: typeof columns === 'string' ? columns.split(/[\s,]+/).filter(Boolean) : columns, header: spec['header'] === true };
  }
  return out;
}

/** Validates a command task's config (keys: executable, args, perFileArgs or per_file_cmdline, listFiles, env, timeoutSeconds). */
export function parseCommandConfig(label: string, config: ConfigObject): CommandConfig {
  const executable = config['executable'];
  if (typeof executable !== 'string' || executable === '') {
    fail(label, 'executable', `is ${JSON.stringify(executable ?? null)}, expected the program to run`, 'set executable: /path/to/program (it runs without a shell)');
  }
  const env: Record<string, string> = {};
  const rawEnv = config['env'];
  if (rawEnv !== undefined && rawEnv !== null) {
    if (typeof rawEnv !== 'object' || Array.isArray(rawEnv)) fail(label, 'env', 'must be a mapping of variable names to values', 'e.g. env: {OMP_NUM_THREADS: 1}');
    for (const [k, v] of Object.entries(rawEnv)) env[k] = String(v);
  }
  const timeout = config['timeoutSeconds'] ?? 0;
  if (typeof timeout !== 'number' || timeout < 0) fail(label, 'timeoutSeconds', `is ${JSON.stringify(timeout)}, expected a number >= 0`, 'use 0 for no limit');
  return {
    executable,
    args: stringList(label, 'args', config['args']),
    perFileArgs: [...parsePerFile(label, config['perFileArgs']), ...parsePerFile(label, config['per_file_cmdline'])],
    listFiles: parseListFiles(label, config['listFiles']),
    env,
    timeoutSeconds: timeout,
  };
}
