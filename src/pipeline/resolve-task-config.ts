import { cloneConfigValue, getConfigPath, MISSING, setConfigPath } from './config-values.js';
import type { ConfigObject, ConfigValue } from './config-values.js';
import type { PipelineNote } from './pipeline-notes.js';
import type { TaskDeclaration } from './pipeline-types.js';
import type { TaskCatalogEntry } from './task-catalog.js';

/** Config fields every pipeline task has (reference `PipelineTaskConfig`). */
const BASE_CONFIG: ConfigObject = { saveMetadata: true, saveLogOutput: true };

/**
 * The default config of a task class: base fields, the catalog's defaults, and
 * `connections.<name>` (dataset type names) and `connections.<template>` (template values),
 * where the reference keeps them.
 */
export function buildDefaultConfig(entry: TaskCatalogEntry | undefined): ConfigObject {
  const config = cloneConfigValue(BASE_CONFIG);
  if (entry === undefined) return config;
  for (const [name, value] of Object.entries(entry.templates)) setConfigPath(config, `connections.${name}`, value);
  for (const [name, spec] of Object.entries(entry.connections)) setConfigPath(config, `connections.${name}`, spec.name);
  for (const [key, value] of Object.entries(entry.config)) setConfigPath(config, key, value);
  return config;
}

function substituteParameter(value: ConfigValue, parameters: ConfigObject, ctx: { label: string; key: string; file: string; notes: PipelineNote[] }): ConfigValue {
  if (typeof value !== 'string') return value;
  const match = /^parameters[.](.*)/.exec(value);
  if (match === null) return value;
  const name = match[1] as string;
  if (name in parameters) return parameters[name] as ConfigValue;
  ctx.notes.push({
    kind: 'unknown-parameter',
    label: ctx.label,
    file: ctx.file,
    message: `config '${ctx.key}' of task '${ctx.label}' has value '${value}', which looks like a pipeline parameter but no parameter '${name}' is defined; check for a typo`,
  });
  return value;
}

/**
 * Resolves a task's config: catalog defaults, then each config block in order (parameters
 * substituted into `parameters.x` values). `python` and `file` blocks are reported, not run.
 */
export function resolveTaskConfig(options: {
  task: TaskDeclaration;
  entry: TaskCatalogEntry | undefined;
  parameters: ConfigObject;
  notes: PipelineNote[];
}): ConfigObject {
  const { task, entry, parameters, notes } = options;
  const config = buildDefaultConfig(entry);
  for (const block of task.config) {
    for (const file of block.files) {
      notes.push({ kind: 'opaque-file', label: task.label, file: task.source, message: `config file '${file}' of task '${task.label}' is a Python config file; kept, not applied` });
    }
    if (block.python !== undefined) {
      notes.push({ kind: 'opaque-python', label: task.label, file: task.source, message: `python config block of task '${task.label}' kept, not run` });
    }
    for (const [key, raw] of Object.entries(block.values)) {
      const value = substituteParameter(raw, parameters, { label: task.label, key, file: task.source, notes });
      setConfigPath(config, key, value);
    }
  }
  return config;
}

/** True when the catalog default of `key` is a string (so a `-c` value stays a string). */
export function isStringConfigKey(entry: TaskCatalogEntry | undefined, key: string): boolean {
  const value = getConfigPath(buildDefaultConfig(entry), key);
  return value !== MISSING && typeof value === 'string';
}
