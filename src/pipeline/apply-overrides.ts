import path from 'node:path';
import { isConfigObject, parseConfigValueText } from './config-values.js';
import type { ConfigObject } from './config-values.js';
import { addConfigBlock } from './merge-pipelines.js';
import { PipelineError } from './pipeline-errors.js';
import type { ConfigBlock, PipelineDocument } from './pipeline-types.js';
import { readYamlFile } from './read-pipeline-yaml.js';
import { isStringConfigKey } from './resolve-task-config.js';
import type { TaskCatalog } from './task-catalog.js';

/** Overrides given on the command line (`-c`, `-C`, `--instrument`). */
export interface PipelineOverrides {
  /** `label:key=value`; `parameters:name=value` sets a pipeline parameter. */
  config?: readonly string[];
  /** `label:file`; a `.yaml`/`.yml` file holds dotted-key values, other files are Python (kept, not run). */
  configFiles?: readonly string[];
  /** Replaces the pipeline's instrument. */
  instrument?: string;
}

function splitLabel(text: string, option: string, file: string): [string, string] {
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) {
    throw new PipelineError(`${option} '${text}' must look like label:${option === '-c' ? 'key=value' : 'file'}`, { file, key: option });
  }
  return [text.slice(0, colon), text.slice(colon + 1)];
}

function taskOf(doc: PipelineDocument, label: string, option: string, text: string): { taskClass: string; config: ConfigBlock[] } {
  const task = doc.tasks.get(label);
  if (task === undefined) {
    throw new PipelineError(`there are no tasks labeled '${label}' in the pipeline '${doc.source}' (from ${option} '${text}')`, {
      file: doc.source,
      label,
      hint: `known labels: ${[...doc.tasks.keys()].slice(0, 10).join(', ')}${doc.tasks.size > 10 ? ', ...' : ''}`,
    });
  }
  return task;
}

function block(values: ConfigObject, files: string[] = []): ConfigBlock {
  return { values, files, python: undefined, dataId: undefined };
}

/**
 * Applies command-line overrides to a pipeline document, after its label fragment, as
 * `pipetask` does. Values are parsed like the reference's config parser (numbers, booleans,
 * quoted strings, lists) unless the catalog says the key holds a string.
 */
export function applyPipelineOverrides(doc: PipelineDocument, overrides: PipelineOverrides, catalog: TaskCatalog | undefined): void {
  if (overrides.instrument !== undefined) doc.instrument = overrides.instrument;
  for (const text of overrides.config ?? []) {
    const [label, assignment] = splitLabel(text, '-c', doc.source);
    const eq = assignment.indexOf('=');
    if (eq <= 0) throw new PipelineError(`-c '${text}' must look like label:key=value`, { file: doc.source, key: '-c', label });
    const key = assignment.slice(0, eq).trim();
    const rawValue = assignment.slice(eq + 1);
    if (label === 'parameters') {
      doc.parameters[key] = parseConfigValueText(rawValue);
      continue;
    }
    const task = taskOf(doc, label, '-c', text);
    const value = isStringConfigKey(catalog?.get(task.taskClass), key) ? rawValue : parseConfigValueText(rawValue);
    addConfigBlock(task.config, block({ [key]: value }));
  }
  for (const text of overrides.configFiles ?? []) {
    const [label, file] = splitLabel(text, '-C', doc.source);
    if (label === 'parameters') throw new PipelineError(`setting the parameters section with a config file is not supported (-C '${text}')`, { file: doc.source, key: '-C' });
    const task = taskOf(doc, label, '-C', text);
    if (/\.ya?ml$/i.test(file)) {
      const values = readYamlFile(path.resolve(file), 'config override');
      if (!isConfigObject(values)) throw new PipelineError(`config file '${file}' (-C ${label}) must hold a mapping of dotted keys to values`, { file, label });
      addConfigBlock(task.config, block(values));
    } else {
      addConfigBlock(task.config, block({}, [path.resolve(file)]));
    }
  }
}
