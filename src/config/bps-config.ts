import { ConfigError } from './config-error.js';
import { getPath, isMapping, layerFromObject, mergeLayer, type ConfigLayer, type ConfigTree } from './config-tree.js';
import { expandEnvVars, type ConfigEnv } from './expand-env.js';
import { substituteVars } from './substitute-vars.js';

/** Sections searched before the root, in order (the reference's `BPS_SEARCH_ORDER`). */
export const BPS_SEARCH_ORDER = ['bps_cmdline', 'payload', 'cluster', 'pipetask', 'site', 'cloud', 'bps_defined'] as const;
/** A section of the search order. */
export type SearchSection = (typeof BPS_SEARCH_ORDER)[number];

/** Sections holding one subsection per name; only the selected one (`curr_<section>`) is searched. */
const KEYED_SECTIONS: ReadonlySet<string> = new Set(['cluster', 'pipetask', 'site', 'cloud']);

/** Options of {@link BpsConfig.search}, named as in the reference. */
export interface SearchOptions {
  /**
   * Values that win over everything in the config (job values such as `qgraphNodeId`,
   * data-ID values); `curr_pipetask`, `curr_cluster`, `curr_site`, `curr_cloud` select the
   * subsection of the keyed sections searched. `curr_site`/`curr_cloud` default to the
   * configured `computeSite`/`computeCloud`.
   */
  readonly curvals?: Readonly<Record<string, unknown>>;
  /** A mapping searched after `curvals` and before the sections (e.g. the `finalJob` section). */
  readonly searchobj?: Readonly<Record<string, unknown>>;
  /** Value returned when the key is not found (not substituted). */
  readonly default?: unknown;
  /** Throw a {@link ConfigError} when the key is not found. */
  readonly required?: boolean;
  /** Replace `{var}` references (default true). */
  readonly replaceVars?: boolean;
  /** Replace `${ENV}` references (default true). */
  readonly expandEnvVars?: boolean;
  /** Variables left verbatim as `{name}` (filled later). `{wms...}` names are always left. */
  readonly skipNames?: readonly string[];
  /** What an undefined `{var}` becomes: an error (default) or an empty string (data-ID templates). */
  readonly undefinedVars?: 'error' | 'blank';
}

/** Where a value was found: its key path and the file that set it. */
export interface ConfigHit {
  readonly value: unknown;
  readonly path: string;
  readonly file: string | undefined;
}

interface ResolveState {
  readonly opts: SearchOptions;
  readonly stack: readonly string[];
  readonly noSite?: boolean;
}

/**
 * A bps submission configuration: defaults, site definition, the submit YAML (with its
 * includes) and command-line values merged into one tree, searched with the reference's
 * rules. Immutable: {@link BpsConfig.withValues} returns a new config.
 */
export class BpsConfig {
  private constructor(
    private readonly layer: ConfigLayer,
    /** Environment used for `${ENV}` expansion. */
    readonly env: ConfigEnv,
    /** Sections searched before the root, in order. */
    readonly searchOrder: readonly string[],
  ) {}

  /**
   * A config from merged layers (lowest priority first). `searchOrder` replaces
   * {@link BPS_SEARCH_ORDER} (tests of the search rules only).
   */
  static fromLayers(layers: readonly ConfigLayer[], env: ConfigEnv, searchOrder: readonly string[] = BPS_SEARCH_ORDER): BpsConfig {
    const merged: ConfigLayer = { tree: {}, origins: new Map() };
    for (const layer of layers) mergeLayer(merged, layer);
    for (const section of searchOrder) if (!isMapping(merged.tree[section])) merged.tree[section] = {};
    return new BpsConfig(merged, env, searchOrder);
  }

  /** A config from one plain object (tests, generated configs). */
  static fromObject(tree: ConfigTree, options: { origin?: string; env?: ConfigEnv; searchOrder?: readonly string[] } = {}): BpsConfig {
    return BpsConfig.fromLayers([layerFromObject(tree, options.origin ?? '<object>')], options.env ?? {}, options.searchOrder);
  }

  /** A copy with values set at key paths (`bps_defined.timestamp`, `payload.output`). */
  withValues(values: readonly { path: string; value: unknown; origin: string }[]): BpsConfig {
    const copy: ConfigLayer = { tree: structuredClone(this.layer.tree), origins: new Map(this.layer.origins) };
    for (const { path, value, origin } of values) {
      const parts = path.split('.');
      const leaf = parts.pop()!;
      mergeLayer(copy, { tree: { [leaf]: value }, origins: new Map([['', origin]]) }, parts.join('.'));
    }
    return new BpsConfig(copy, this.env, this.searchOrder);
  }

  /** The merged tree as a plain object (for writing the final config to the submit directory). */
  toObject(): ConfigTree {
    return structuredClone(this.layer.tree);
  }

  /** The file that set a key path, or `undefined`. */
  originOf(path: string): string | undefined {
    let p = path;
    for (;;) {
      const file = this.layer.origins.get(p);
      if (file !== undefined || p === '') return file;
      const dot = p.lastIndexOf('.');
      p = dot < 0 ? '' : p.slice(0, dot);
    }
  }

  /** Names of the subsections of a section (`cluster` → cluster labels), in file order. */
  sectionNames(path: string): string[] {
    const node = getPath(this.layer.tree, path);
    return isMapping(node) ? Object.keys(node) : [];
  }

  /** The raw (unsubstituted) value at a key path, or `undefined`. */
  raw(path: string): unknown {
    return getPath(this.layer.tree, path);
  }

  /**
   * Looks a key up: `curvals`, then `searchobj`, then the sections of
   * {@link BPS_SEARCH_ORDER} (keyed sections through their selected subsection), then the root.
   * A key starting with `.` is an absolute key path (`.finalJob.whenRun`). String values get
   * `${ENV}` and `{var}` substitution; variables are looked up with the same options,
   * recursively. Returns `undefined` when nothing is found and there is no default.
   */
  search(key: string, opts: SearchOptions = {}): unknown {
    return this.searchHit(key, opts)?.value;
  }

  /** Like {@link BpsConfig.search}, also saying where the value was found. */
  searchHit(key: string, opts: SearchOptions = {}): ConfigHit | undefined {
    return this.resolve(key, { opts, stack: [] });
  }

  /**
   * Substitutes `${ENV}` and `{var}` in a text as if it were the value of `where.key` (used for
   * the words of a command template). Options as for {@link BpsConfig.search}.
   */
  formatText(text: string, where: { key: string; file?: string }, opts: SearchOptions = {}): string {
    return this.substitute(text, { value: text, path: where.key, file: where.file }, { opts, stack: [] });
  }

  /** Whether a key is defined anywhere in the search path. */
  has(key: string, opts: SearchOptions = {}): boolean {
    return this.locate(key, { opts: { ...opts, default: undefined }, stack: [] }) !== undefined;
  }

  private resolve(key: string, state: ResolveState): ConfigHit | undefined {
    const { opts } = state;
    let hit = this.locate(key, state);
    if (hit === undefined && 'default' in opts && opts.default !== undefined) return { value: opts.default, path: key, file: undefined };
    if (hit === undefined) {
      if (opts.required) {
        throw new ConfigError(`required bps setting '${key}' is not defined`, { key, hint: `add '${key}: ...' to the submit YAML or pass it on the command line` });
      }
      return undefined;
    }
    if (typeof hit.value === 'string') hit = { ...hit, value: this.substitute(hit.value, hit, state) };
    return hit;
  }

  private substitute(text: string, hit: ConfigHit, state: ResolveState): string {
    const { opts } = state;
    const where = { key: hit.path, ...(hit.file === undefined ? {} : { file: hit.file }) };
    let value = opts.expandEnvVars === false ? text : expandEnvVars(text, this.env, where);
    if (opts.replaceVars === false) return value;
    if (value.includes('bpsEval(')) {
      throw new ConfigError(`'${hit.path}'${hit.file ? ` (${hit.file})` : ''} uses bpsEval(...), which runs Python code; bps-ts does not evaluate it`, {
        key: hit.path,
        ...(hit.file === undefined ? {} : { file: hit.file }),
        hint: 'replace the bpsEval(...) expression by the value it computes',
      });
    }
    const skip = new Set(opts.skipNames ?? []);
    const stack = [...state.stack, hit.path];
    value = substituteVars(value, {
      key: hit.path,
      file: hit.file,
      undefinedVars: opts.undefinedVars ?? 'error',
      keep: (name) => skip.has(name) || /^wms[A-Z]/.test(name),
      lookup: (name) => {
        const lookupKey = name.includes('.') && !name.startsWith('.') ? `.${name}` : name;
        const found = this.locate(lookupKey, { opts, stack, ...(state.noSite ? { noSite: true } : {}) });
        if (found === undefined) return undefined;
        if (stack.includes(found.path)) {
          throw new ConfigError(`variable cycle: ${[...stack, found.path].map((p) => `'${p}'`).join(' -> ')}`, {
            key: hit.path,
            ...(hit.file === undefined ? {} : { file: hit.file }),
            hint: 'one of these values must not refer back to the others',
          });
        }
        const inner: SearchOptions = { ...opts, default: undefined, required: false };
        return this.resolve(lookupKey, { opts: inner, stack, ...(state.noSite ? { noSite: true } : {}) })?.value;
      },
    });
    return value;
  }

  /** Finds the raw value of a key following the search rules. */
  private locate(key: string, state: ResolveState): ConfigHit | undefined {
    const { opts } = state;
    if (key.startsWith('.')) {
      const path = key.slice(1);
      const value = getPath(this.layer.tree, path);
      return value === undefined ? undefined : { value, path, file: this.originOf(path) };
    }
    const curvals = opts.curvals ?? {};
    if (Object.hasOwn(curvals, key) && curvals[key] !== undefined) return { value: curvals[key], path: key, file: 'current values' };
    if (opts.searchobj && Object.hasOwn(opts.searchobj, key) && opts.searchobj[key] !== undefined) return { value: opts.searchobj[key], path: key, file: undefined };
    for (const section of this.searchOrder) {
      let node = this.layer.tree[section];
      let path: string = section;
      const selector = this.selectorFor(section, state);
      if (selector !== undefined && isMapping(node) && isMapping(node[selector])) {
        node = node[selector];
        path = `${section}.${selector}`;
      } else if (KEYED_SECTIONS.has(section)) {
        continue;
      }
      if (isMapping(node) && Object.hasOwn(node, key) && node[key] !== undefined) {
        return { value: node[key], path: `${path}.${key}`, file: this.originOf(`${path}.${key}`) };
      }
    }
    if (Object.hasOwn(this.layer.tree, key) && this.layer.tree[key] !== undefined) return { value: this.layer.tree[key], path: key, file: this.originOf(key) };
    if (key === 'uniqProcName') {
      const run = this.resolve('outputRun', { opts: { ...opts, default: undefined, required: false }, stack: state.stack });
      if (run !== undefined && typeof run.value === 'string') return { value: run.value.replaceAll('/', '_'), path: 'uniqProcName', file: run.file };
    }
    return undefined;
  }

  private selectorFor(section: string, state: ResolveState): string | undefined {
    const curvals = state.opts.curvals ?? {};
    const given = curvals[`curr_${section}`];
    if (given !== undefined && given !== null) return String(given);
    if ((section !== 'site' && section !== 'cloud') || state.noSite) return undefined;
    const key = section === 'site' ? 'computeSite' : 'computeCloud';
    const hit = this.resolve(key, { opts: { ...state.opts, default: undefined, required: false }, stack: state.stack, noSite: true });
    return typeof hit?.value === 'string' && hit.value !== '' ? hit.value : undefined;
  }
}
