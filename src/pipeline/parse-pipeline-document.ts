import { isConfigObject } from './config-values.js';
import type { ConfigObject, ConfigValue } from './config-values.js';
import { PipelineError } from './pipeline-errors.js';
import { SubsetModifyMode } from './pipeline-types.js';
import type { ConfigBlock, ContractDeclaration, LabeledSubset, PipelineDocument, StepDeclaration, TaskDeclaration } from './pipeline-types.js';

/** An `imports:` entry of a pipeline document. */
export interface ImportDeclaration {
  location: string;
  include: string[] | undefined;
  exclude: string[] | undefined;
  rename: Record<string, string>;
  importContracts: boolean;
  importSteps: boolean;
  labeledSubsetModifyMode: SubsetModifyMode;
  /** `keep` leaves the imported pipeline's instrument; `undefined` drops it. */
  instrument: { kind: 'keep' } | { kind: 'set'; value: string | undefined };
  source: string;
}

const TOP_KEYS = ['description', 'instrument', 'tasks', 'parameters', 'subsets', 'steps', 'contracts', 'imports'];
const IMPORT_KEYS = ['location', 'include', 'exclude', 'rename', 'importContracts', 'importSteps', 'labeledSubsetModifyMode', 'instrument'];

function fail(file: string, message: string, extra: { key?: string; label?: string; hint?: string } = {}): never {
  throw new PipelineError(`${message} (in '${file}')`, { file, ...extra });
}

function toStringList(value: unknown, file: string, key: string): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return fail(file, `'${key}' must be a string or a list of strings, got ${JSON.stringify(value)}`, { key });
}

function parseConfigBlock(raw: unknown, file: string, label: string): ConfigBlock {
  if (!isConfigObject(raw)) fail(file, `config of task '${label}' must be a mapping or a list of mappings`, { label, key: `tasks.${label}.config` });
  const { file: files, python, dataId, ...rest } = raw;
  if (python !== undefined && python !== null && typeof python !== 'string') {
    fail(file, `'python' config block of task '${label}' must be a string`, { label });
  }
  return {
    values: rest as ConfigObject,
    files: files === undefined || files === null ? [] : toStringList(files, file, `tasks.${label}.config.file`),
    python: typeof python === 'string' ? python : undefined,
    dataId: dataId ?? undefined,
  };
}

function parseTasks(raw: unknown, file: string): Map<string, TaskDeclaration> {
  const tasks = new Map<string, TaskDeclaration>();
  if (raw === undefined || raw === null) return tasks;
  if (!isConfigObject(raw)) fail(file, "'tasks' must be a mapping of label to task definition", { key: 'tasks' });
  if ('parameters' in raw) fail(file, "'parameters' is a reserved word and cannot be used as a task label", { label: 'parameters' });
  for (const [label, def] of Object.entries(raw)) {
    const definition: unknown = typeof def === 'string' ? { class: def } : def;
    if (!isConfigObject(definition) || typeof definition['class'] !== 'string') {
      fail(file, `task '${label}' must be a class name or a mapping with a 'class' string`, { label, key: `tasks.${label}` });
    }
    const unknown = Object.keys(definition).filter((k) => k !== 'class' && k !== 'config');
    if (unknown.length > 0) fail(file, `task '${label}' has unknown key(s) ${unknown.join(', ')}; allowed: class, config`, { label });
    const config = definition['config'];
    const blocks = config === undefined || config === null ? [] : Array.isArray(config) ? config : [config];
    tasks.set(label, {
      label,
      taskClass: definition['class'] as string,
      config: blocks.map((b) => parseConfigBlock(b, file, label)),
      source: file,
    });
  }
  return tasks;
}

function parseContracts(raw: unknown, file: string): ContractDeclaration[] {
  const list = raw === undefined || raw === null ? [] : typeof raw === 'string' ? [raw] : raw;
  if (!Array.isArray(list)) fail(file, "'contracts' must be a list", { key: 'contracts' });
  return list.map((c: unknown) => {
    if (typeof c === 'string') return { contract: c, msg: undefined, source: file };
    if (isConfigObject(c) && typeof c['contract'] === 'string') {
      const msg = c['msg'];
      return { contract: c['contract'], msg: typeof msg === 'string' ? msg : undefined, source: file };
    }
    return fail(file, `a contract must be a string or a mapping with 'contract' (and optional 'msg'), got ${JSON.stringify(c)}`, { key: 'contracts' });
  });
}

function parseSubsets(raw: unknown, file: string): Map<string, LabeledSubset> {
  const subsets = new Map<string, LabeledSubset>();
  if (raw === undefined || raw === null) return subsets;
  if (!isConfigObject(raw)) fail(file, "'subsets' must be a mapping of subset label to task labels", { key: 'subsets' });
  for (const [label, value] of Object.entries(raw)) {
    let tasks: unknown = value;
    let description: string | undefined;
    if (isConfigObject(value)) {
      if (!('subset' in value)) fail(file, `labeled subset '${label}' is a mapping, so it must contain the key 'subset'`, { label });
      tasks = value['subset'];
      description = typeof value['description'] === 'string' ? value['description'] : undefined;
    }
    if (!Array.isArray(tasks) || !tasks.every((t) => typeof t === 'string')) {
      fail(file, `labeled subset '${label}' must be a list of task labels or a mapping with keys (subset, description)`, { label });
    }
    subsets.set(label, { label, tasks: new Set(tasks as string[]), description, source: file });
  }
  return subsets;
}

function parseSteps(raw: unknown, file: string): StepDeclaration[] {
  const list = raw ?? [];
  if (!Array.isArray(list)) fail(file, "'steps' must be a list of {label, dimensions}", { key: 'steps' });
  const steps = new Map<string, StepDeclaration>();
  for (const decl of list as unknown[]) {
    if (!isConfigObject(decl) || typeof decl['label'] !== 'string' || !('dimensions' in decl)) {
      fail(file, `a step must be a mapping with 'label' and 'dimensions', got ${JSON.stringify(decl)}`, { key: 'steps' });
    }
    const label = decl['label'] as string;
    const dims = decl['dimensions'];
    const dimensions = dims === null ? [] : toStringList(dims, file, `steps.${label}.dimensions`);
    if (steps.has(label)) fail(file, `step '${label}' was declared twice`, { label });
    steps.set(label, { label, dimensions, source: file });
  }
  return [...steps.values()];
}

function parseImport(raw: unknown, file: string): ImportDeclaration {
  const arg = typeof raw === 'string' ? { location: raw } : raw;
  if (!isConfigObject(arg) || typeof arg['location'] !== 'string') {
    fail(file, `an import must be a location string or a mapping with 'location', got ${JSON.stringify(raw)}`, { key: 'imports' });
  }
  const unknown = Object.keys(arg).filter((k) => !IMPORT_KEYS.includes(k));
  if (unknown.length > 0) fail(file, `import of '${String(arg['location'])}' has unknown key(s) ${unknown.join(', ')}; allowed: ${IMPORT_KEYS.join(', ')}`, { key: 'imports' });
  const mode = arg['labeledSubsetModifyMode'] ?? 'DROP';
  if (!SubsetModifyMode.includes(mode as SubsetModifyMode)) {
    fail(file, `'${String(mode)}' is not a valid mode for labeledSubsetModifyMode (use DROP or EDIT)`, { key: 'imports.labeledSubsetModifyMode' });
  }
  const rename = arg['rename'] ?? {};
  if (!isConfigObject(rename) || !Object.values(rename).every((v) => typeof v === 'string')) {
    fail(file, "'rename' of an import must map old task labels to new ones", { key: 'imports.rename' });
  }
  const inst = arg['instrument'];
  const flag = (name: string): boolean => (arg[name] === undefined ? true : Boolean(arg[name]));
  return {
    location: arg['location'] as string,
    include: arg['include'] === undefined || arg['include'] === null ? undefined : toStringList(arg['include'], file, 'imports.include'),
    exclude: arg['exclude'] === undefined || arg['exclude'] === null ? undefined : toStringList(arg['exclude'], file, 'imports.exclude'),
    rename: rename as Record<string, string>,
    importContracts: flag('importContracts'),
    importSteps: flag('importSteps'),
    labeledSubsetModifyMode: mode as SubsetModifyMode,
    instrument: !('instrument' in arg) ? { kind: 'keep' } : { kind: 'set', value: inst === null || inst === 'None' ? undefined : String(inst) },
    source: file,
  };
}

/**
 * Reads the keys of one pipeline document (not yet merged with its imports). Checks the rules
 * the reference checks while reading: description present, tasks or imports present, one
 * instrument, no reserved or repeated labels, well-formed subsets, steps and contracts.
 */
export function parsePipelineDocument(raw: unknown, file: string): { doc: PipelineDocument; imports: ImportDeclaration[] } {
  if (!isConfigObject(raw)) fail(file, 'a pipeline file must be a YAML mapping');
  if (!('description' in raw)) fail(file, 'a pipeline must be declared with a description', { key: 'description', hint: "add a top-level 'description:' key" });
  if (!('tasks' in raw) && !('imports' in raw) && !('inherits' in raw)) fail(file, 'a pipeline must be declared with one or more tasks', { key: 'tasks' });
  if ('inherits' in raw) fail(file, "the 'inherits' key is not supported; use 'imports' instead", { key: 'inherits' });
  if ('subset' in raw && !('subsets' in raw)) fail(file, "top-level key should be 'subsets' and not 'subset', add an s", { key: 'subset' });
  const unknown = Object.keys(raw).filter((k) => !TOP_KEYS.includes(k));
  if (unknown.length > 0) fail(file, `unknown top-level key(s) ${unknown.map((k) => `'${k}'`).join(', ')}; allowed: ${TOP_KEYS.join(', ')}`, { key: unknown[0] });
  const instrument: ConfigValue | undefined = raw['instrument'];
  if (Array.isArray(instrument)) fail(file, 'only one top-level instrument can be defined in a pipeline', { key: 'instrument' });
  if (instrument !== undefined && instrument !== null && typeof instrument !== 'string') fail(file, "'instrument' must be a class name string", { key: 'instrument' });
  const parameters = raw['parameters'] ?? {};
  if (!isConfigObject(parameters)) fail(file, "the 'parameters' section must be a YAML mapping", { key: 'parameters' });
  const imports = raw['imports'];
  const importList = imports === undefined || imports === null ? [] : Array.isArray(imports) ? imports : [imports];
  const doc: PipelineDocument = {
    source: file,
    description: String(raw['description'] ?? ''),
    instrument: typeof instrument === 'string' ? instrument : undefined,
    parameters,
    tasks: parseTasks(raw['tasks'], file),
    subsets: parseSubsets(raw['subsets'], file),
    steps: parseSteps(raw['steps'], file),
    contracts: parseContracts(raw['contracts'], file),
  };
  return { doc, imports: importList.map((i) => parseImport(i, file)) };
}
