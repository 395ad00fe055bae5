import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isConfigObject } from './config-values.js';
import type { ConfigObject } from './config-values.js';
import { TaskCatalogError } from './pipeline-errors.js';
import { readYamlFile } from './read-pipeline-yaml.js';
import { ConnectionKind, TaskCatalog } from './task-catalog.js';
import type { ConnectionSpec, TaskCatalogEntry } from './task-catalog.js';

/** A catalog entry as written by hand (YAML or a TypeScript task module); defaults filled in. */
export interface TaskCatalogEntryInput {
  dimensions?: string[];
  templates?: Record<string, string>;
  config?: ConfigObject;
  connections?: Record<string, Partial<ConnectionSpec> & { kind: ConnectionKind; name: string }>;
  description?: string;
}

const CONNECTION_KEYS = ['kind', 'name', 'dimensions', 'storageClass', 'multiple', 'minimum', 'isCalibration', 'deferLoad', 'deferGraphConstraint', 'when', 'doc'];

function bad(source: string, what: string, message: string): never {
  throw new TaskCatalogError(`task catalog '${source}': ${what}: ${message}`, { file: source, key: what });
}

function stringList(value: unknown, source: string, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return bad(source, what, `expected a list of dimension names, got ${JSON.stringify(value)}`);
}

function normalizeConnection(raw: unknown, source: string, what: string): ConnectionSpec {
  if (!isConfigObject(raw)) bad(source, what, 'a connection must be a mapping');
  const unknown = Object.keys(raw).filter((k) => !CONNECTION_KEYS.includes(k));
  if (unknown.length > 0) bad(source, what, `unknown key(s) ${unknown.join(', ')}; allowed: ${CONNECTION_KEYS.join(', ')}`);
  const kind = raw['kind'];
  if (!ConnectionKind.includes(kind as ConnectionKind)) bad(source, what, `kind must be one of ${ConnectionKind.join(', ')}, got ${JSON.stringify(kind)}`);
  if (typeof raw['name'] !== 'string' || raw['name'] === '') bad(source, what, "'name' (the default dataset type name) is required");
  const isInit = kind === 'initInput' || kind === 'initOutput';
  const storageClass = raw['storageClass'];
  if (typeof storageClass !== 'string') bad(source, what, "'storageClass' is required");
  const minimum = raw['minimum'] ?? 1;
  if (typeof minimum !== 'number' || !Number.isInteger(minimum) || minimum < 0) bad(source, what, "'minimum' must be a non-negative integer");
  const when = raw['when'];
  if (when !== undefined && typeof when !== 'string') bad(source, what, "'when' must be an expression string");
  return {
    kind: kind as ConnectionKind,
    name: raw['name'] as string,
    dimensions: isInit ? [] : stringList(raw['dimensions'], source, `${what}.dimensions`),
    storageClass,
    multiple: raw['multiple'] === true,
    minimum,
    isCalibration: raw['isCalibration'] === true,
    deferLoad: raw['deferLoad'] === true,
    deferGraphConstraint: raw['deferGraphConstraint'] === true,
    when,
  };
}

/** Checks and completes one catalog entry (defaults: no templates, empty config, minimum 1). */
export function normalizeCatalogEntry(taskClass: string, raw: unknown, source: string): TaskCatalogEntry {
  if (!isConfigObject(raw)) bad(source, taskClass, 'an entry must be a mapping');
  const templates = raw['templates'] ?? {};
  if (!isConfigObject(templates) || !Object.values(templates).every((v) => typeof v === 'string')) bad(source, `${taskClass}.templates`, 'must map template names to strings');
  const config = raw['config'] ?? {};
  if (!isConfigObject(config)) bad(source, `${taskClass}.config`, 'must be a mapping of default config values');
  const connections = raw['connections'] ?? {};
  if (!isConfigObject(connections)) bad(source, `${taskClass}.connections`, 'must be a mapping of connection name to connection');
  const description = raw['description'];
  return {
    taskClass,
    dimensions: stringList(raw['dimensions'], source, `${taskClass}.dimensions`),
    templates: templates as Record<string, string>,
    config,
    connections: Object.fromEntries(Object.entries(connections).map(([n, c]) => [n, normalizeConnection(c, source, `${taskClass}.connections.${n}`)])),
    description: typeof description === 'string' ? description : undefined,
    source,
  };
}

/** Defines a catalog entry from a TypeScript task module. */
export function defineTaskEntry(taskClass: string, input: TaskCatalogEntryInput, source = 'built-in'): TaskCatalogEntry {
  return normalizeCatalogEntry(taskClass, input, source);
}

/** Reads a YAML catalog file: a top-level `tasks:` mapping of class name to entry. */
export function readTaskCatalogFile(file: string): TaskCatalogEntry[] {
  const raw = readYamlFile(file, 'task catalog');
  if (!isConfigObject(raw) || !isConfigObject(raw['tasks'])) bad(file, 'tasks', "a catalog file needs a top-level 'tasks:' mapping of task class to entry");
  return Object.entries(raw['tasks']).map(([cls, entry]) => normalizeCatalogEntry(cls, entry, file));
}

/** The catalog folder shipped with bps-ts (`pipelines/catalog/` at the package root). */
export function defaultCatalogDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../pipelines/catalog');
}

/** Options of {@link loadTaskCatalog}. */
export interface LoadTaskCatalogOptions {
  /** Built-in entries (TypeScript task modules); loaded first. */
  entries?: TaskCatalogEntry[];
  /** Folders whose `*.yaml` files are read in name order; default: the shipped catalog folder. */
  dirs?: string[];
  /** Extra catalog files, read last (their entries win). */
  files?: string[];
}

/** Builds a task catalog from built-in entries, catalog folders and extra files. */
export function loadTaskCatalog(options: LoadTaskCatalogOptions = {}): TaskCatalog {
  const catalog = new TaskCatalog(options.entries ?? []);
  for (const dir of options.dirs ?? [defaultCatalogDir()]) {
    const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
    for (const f of files) for (const e of readTaskCatalogFile(path.join(dir, f))) catalog.add(e);
  }
  for (const f of options.files ?? []) for (const e of readTaskCatalogFile(f)) catalog.add(e);
  return catalog;
}
