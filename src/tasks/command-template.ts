import { TaskInputError } from './task-errors.js';

/** Values a template may use: `{name}` → one string; `{inputs:conn}` may expand to several arguments. */
export interface TemplateScope {
  /** Where the template came from, for messages (e.g. `config.args[2]`). */
  where: string;
  task: string;
  /** Plain names: data ID keys, `path`, `workdir`... */
  values: Readonly<Record<string, string | number>>;
  /** Prefixed names (`input:calexp`, `output:src`, `listfile:inputs`, `inputs:calexp`) → one or more values. */
  lists: Readonly<Record<string, readonly string[]>>;
}

const token = /\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_.-]*(?::[A-Za-z_][A-Za-z0-9_.-]*)?)\}/g;

function lookup(name: string, scope: TemplateScope): readonly string[] {
  if (name in scope.values) return [String(scope.values[name])];
  const list = scope.lists[name];
  if (list !== undefined) return list;
  const known = [...Object.keys(scope.values), ...Object.keys(scope.lists)].map((k) => `{${k}}`).join(', ');
  throw new TaskInputError(`task '${scope.task}': ${scope.where} uses '{${name}}', which is not defined here`, {
    task: scope.task,
    key: scope.where,
    hint: `use one of ${known || '(none)'}; write '{{' and '}}' for literal braces`,
  });
}

/**
 * Expands one argument template. A template that is exactly one token naming several values
 * (`{inputs:calexp}`) becomes several arguments; anywhere else a token must have one value.
 * Substituted values are never re-scanned or split: they reach the program as they are.
 */
export function expandArgument(template: string, scope: TemplateScope): string[] {
  const whole = /^\{([^{}]+)\}$/.exec(template);
  if (whole !== null && whole[1] !== undefined) return [...lookup(whole[1], scope)];
  return [template.replace(token, (match, name: string | undefined) => {
    if (name === undefined) return match === '{{' ? '{' : '}';
    const values = lookup(name, scope);
    if (values.length !== 1) {
      throw new TaskInputError(`task '${scope.task}': ${scope.where} puts '{${name}}' (${values.length} values) inside a longer argument`, {
        task: scope.task,
        key: scope.where,
        hint: `give '{${name}}' as an argument on its own, or use perFileArgs for one argument group per input`,
      });
    }
    return values[0]!;
  })];
}

/** Expands argument templates in order. A string template is split on blanks first (before substitution). */
export function expandArguments(templates: string | readonly string[], scope: TemplateScope): string[] {
  const list = typeof templates === 'string' ? templates.split(/\s+/).filter((t) => t !== '') : templates;
  return list.flatMap((t, i) => expandArgument(t, { ...scope, where: `${scope.where}[${i}]` }));
}
