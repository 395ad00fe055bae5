import { InvalidInputError } from '../errors/index.js';

/** Values a template can use: data-ID values, dimension records, run, datasetType, component. */
export interface TemplateFields {
  readonly run: string;
  readonly datasetType: string;
  readonly component?: string;
  readonly dataId: Readonly<Record<string, string | number>>;
  /** Dimension records by element, for `{visit.day_obs}`-style fields. */
  readonly records?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** The daf_butler-like default: run hierarchy, dataset type, then the data ID in the name. */
export const DEFAULT_TEMPLATE =
  '{run:/}/{datasetType}.{component:?}/{band:?}/{day_obs:?}/{physical_filter:?}/{visit.name:?}/' +
  '{datasetType}_{component:?}_{instrument:?}_{skymap:?}_{tract:?}_{patch:?}_{band:?}_{physical_filter:?}_{visit:?}_{exposure:?}_{detector:?}_{run}';

const FIELD_RE = /\{([^{}]*)\}/g;
const UNSAFE_RE = /[^A-Za-z0-9_.+\-=@]/g;

/**
 * A file template with daf_butler's rules: `{field}` required, `{field:?}` optional (a missing
 * optional field drops the literal text before it unless that text contains `/`), `{a|b}`
 * alternatives, `{run:/}` keeps the run's `/` hierarchy, `{element.field}` reads dimension
 * records, unsafe characters in values become `_`.
 */
export class FileTemplate {
  constructor(readonly template: string) {
    if (!template.includes('{run') && !template.includes('{id')) {
      throw new InvalidInputError(`File template "${template}" has no {run} field, so two runs would write the same files.`, {
        hint: 'Include {run} (or {run:/}) in every template.',
      });
    }
  }

  /** The relative path (without extension) for one dataset; never absolute, never with `..`. */
  format(fields: TemplateFields): string {
    let out = '';
    let last = 0;
    for (const match of this.template.matchAll(FIELD_RE)) {
      let literal = this.template.slice(last, match.index);
      last = match.index + match[0].length;
      const [names = '', spec = ''] = (match[1] ?? '').split(':');
      const optional = spec.includes('?');
      const keepSlash = spec.includes('/');
      const value = names.split('|').map((n) => lookup(fields, n.trim())).find((v) => v !== undefined && v !== '');
      if (value === undefined) {
        if (!optional) {
          throw new InvalidInputError(`File template "${this.template}" needs field "${names}", which dataset ${fields.datasetType} ${JSON.stringify(fields.dataId)} does not have.`, {
            hint: `Mark the field optional ({${names}:?}) or use a template for this dataset type.`,
          });
        }
        if (!literal.includes('/')) literal = '';
        out += literal;
        continue;
      }
      out += literal + sanitize(String(value), keepSlash);
    }
    out += this.template.slice(last);
    return normalizeRelativePath(out);
  }
}

function lookup(fields: TemplateFields, name: string): string | number | undefined {
  if (name === 'run') return fields.run;
  if (name === 'datasetType') return fields.datasetType;
  if (name === 'component') return fields.component;
  const dot = name.indexOf('.');
  if (dot < 0) return fields.dataId[name];
  const record = fields.records?.[name.slice(0, dot)];
  const v = record?.[name.slice(dot + 1)];
  return typeof v === 'string' || typeof v === 'number' ? v : undefined;
}

function sanitize(value: string, keepSlash: boolean): string {
  const parts = keepSlash ? value.split('/') : [value];
  return parts.map((p) => p.replace(UNSAFE_RE, '_')).join('/');
}

/**
 * Collapses repeated slashes, drops leading slashes, and replaces `.`/`..` segments so a path
 * built from user values always stays below the directory it is joined to.
 */
export function normalizeRelativePath(path: string): string {
  const segments = path.split('/').filter((s) => s !== '').map((s) => (s === '.' || s === '..' ? s.replace(/\./g, '_') : s));
  if (segments.length === 0) throw new InvalidInputError(`File template produced an empty path from "${path}".`);
  return segments.join('/');
}

/** Templates by dataset type name or storage class, with a default. */
export class FileTemplates {
  private readonly templates: Map<string, FileTemplate>;

  constructor(config: Readonly<Record<string, string>> = {}) {
    this.templates = new Map(Object.entries({ default: DEFAULT_TEMPLATE, ...config }).map(([k, v]) => [k, new FileTemplate(v)]));
  }

  /** The template for a dataset type (by name, then storage class, then default). */
  select(datasetType: string, storageClass: string): FileTemplate {
    return this.templates.get(datasetType) ?? this.templates.get(storageClass) ?? (this.templates.get('default') as FileTemplate);
  }
}
