import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { InvalidInputError, NotFoundError } from '../errors/index.js';

/** Type of a dimension key or metadata field. */
export type FieldType = 'string' | 'int' | 'float';

/** A key or metadata field of a dimension element. */
export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  readonly length?: number;
}

/** One element of the universe: a dimension (it has a key) or a join element (it has none). */
export interface DimensionElement {
  readonly name: string;
  /** Key field of a dimension; undefined for join elements such as visit_definition. */
  readonly key: FieldSpec | undefined;
  readonly governor: boolean;
  /** Dimensions this element directly requires. */
  readonly requires: readonly string[];
  /** Dimensions this element directly implies. */
  readonly implies: readonly string[];
  readonly metadata: readonly FieldSpec[];
  readonly timespan: boolean;
  readonly region: boolean;
  /** All required dimensions (transitive), in universe order, including the element itself if a dimension. */
  readonly required: readonly string[];
  /** Dimensions stored as implied columns of the element's table (direct implies). */
  readonly impliedColumns: readonly string[];
}

interface RawElement {
  governor?: boolean;
  key?: FieldSpec;
  requires?: string[];
  implies?: string[];
  metadata?: FieldSpec[];
  timespan?: boolean;
  region?: boolean;
}

interface RawUniverse {
  namespace: string;
  version: number;
  elements: Record<string, RawElement>;
  overlaps?: [string, string][];
}

/**
 * The set of dimensions data IDs are made of, loaded from a versioned YAML file. Knows for each
 * element what it requires and implies, and expands a set of dimensions to its closure.
 */
export class DimensionUniverse {
  readonly namespace: string;
  readonly version: number;
  readonly elements: ReadonlyMap<string, DimensionElement>;
  /** Dimension names (elements with a key), in file order: the canonical data-ID order. */
  readonly dimensionNames: readonly string[];
  readonly overlaps: readonly (readonly [string, string])[];

  constructor(raw: RawUniverse, source: string) {
    this.namespace = raw.namespace;
    this.version = raw.version;
    const rawElements = raw.elements ?? {};
    const names = Object.keys(rawElements);
    const dimensionNames = names.filter((n) => rawElements[n]?.key !== undefined);
    const elements = new Map<string, DimensionElement>();
    for (const name of names) {
      const r = rawElements[name] ?? {};
      for (const dep of [...(r.requires ?? []), ...(r.implies ?? [])]) {
        if (!dimensionNames.includes(dep)) {
          throw new InvalidInputError(`Element "${name}" in ${source} refers to unknown dimension "${dep}".`, { file: source, key: `elements.${name}` });
        }
      }
    }
    const requiredOf = (name: string, seen: Set<string>): Set<string> => {
      const r = rawElements[name] ?? {};
      for (const dep of r.requires ?? []) {
        if (!seen.has(dep)) {
          seen.add(dep);
          requiredOf(dep, seen);
        }
      }
      return seen;
    };
    for (const name of names) {
      const r = rawElements[name] ?? {};
      const req = requiredOf(name, new Set());
      if (r.key) req.add(name);
      elements.set(name, {
        name,
        key: r.key,
        governor: r.governor ?? false,
        requires: r.requires ?? [],
        implies: r.implies ?? [],
        metadata: r.metadata ?? [],
        timespan: r.timespan ?? false,
        region: r.region ?? false,
        required: dimensionNames.filter((d) => req.has(d)),
        impliedColumns: r.implies ?? [],
      });
    }
    this.elements = elements;
    this.dimensionNames = dimensionNames;
    this.overlaps = (raw.overlaps ?? []).map(([a, b]) => [a, b] as const);
  }

  /** Loads the universe shipped with the package. */
  static loadDefault(): DimensionUniverse {
    const file = fileURLToPath(new URL('../../src/registry/dimensions.yaml', import.meta.url));
    return DimensionUniverse.load(file);
  }

  /** Loads a universe from a YAML file. */
  static load(file: string): DimensionUniverse {
    const raw = parseYaml(readFileSync(file, 'utf8')) as RawUniverse;
    return new DimensionUniverse(raw, file);
  }

  /** The element called `name`, or a NotFoundError listing the known names. */
  getElement(name: string): DimensionElement {
    const element = this.elements.get(name);
    if (!element) {
      throw new NotFoundError(`Unknown dimension element "${name}".`, {
        hint: `Known elements: ${[...this.elements.keys()].join(', ')}.`,
      });
    }
    return element;
  }

  /** The dimension called `name` (an element with a key). */
  getDimension(name: string): DimensionElement & { key: FieldSpec } {
    const element = this.getElement(name);
    if (!element.key) {
      throw new NotFoundError(`"${name}" is a join element, not a dimension.`, {
        hint: `Dimensions: ${this.dimensionNames.join(', ')}.`,
      });
    }
    return element as DimensionElement & { key: FieldSpec };
  }

  /** Whether `name` is a governor dimension (instrument, skymap). */
  isGovernor(name: string): boolean {
    return this.elements.get(name)?.governor ?? false;
  }

  /** Expands dimension names to their closure under requires and implies. */
  group(names: Iterable<string>): DimensionGroup {
    const required = new Set<string>();
    const all = new Set<string>();
    for (const name of names) {
      const element = this.getElement(name);
      for (const r of element.required) required.add(r);
      for (const r of element.requires) required.add(r);
    }
    const visit = (name: string): void => {
      if (all.has(name)) return;
      all.add(name);
      const element = this.getElement(name);
      for (const dep of [...element.requires, ...element.implies]) visit(dep);
    };
    for (const name of required) visit(name);
    // A dimension that is implied by another member is implied, unless it was asked for directly
    // and nothing in the group implies it.
    const impliedByMembers = new Set<string>();
    for (const name of all) for (const imp of this.getElement(name).implies) impliedByMembers.add(imp);
    const requiredFinal = this.dimensionNames.filter((d) => required.has(d) && !impliedByMembers.has(d));
    return new DimensionGroup(
      this,
      requiredFinal,
      this.dimensionNames.filter((d) => all.has(d) && !requiredFinal.includes(d)),
    );
  }
}

/** A closed set of dimensions: the required ones identify a data ID, the implied follow. */
export class DimensionGroup {
  constructor(
    readonly universe: DimensionUniverse,
    readonly required: readonly string[],
    readonly implied: readonly string[],
  ) {}

  /** Required then implied dimension names. */
  get names(): readonly string[] {
    return [...this.required, ...this.implied];
  }

  /** Whether every dimension of `other` is in this group. */
  contains(other: DimensionGroup): boolean {
    const mine = new Set(this.names);
    return other.names.every((n) => mine.has(n));
  }

  /** The group's required dimensions as a sorted, comma-separated string (stable identity). */
  toString(): string {
    return this.required.join(',');
  }
}
