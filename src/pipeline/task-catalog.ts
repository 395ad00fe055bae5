import type { ConfigObject } from './config-values.js';

/** Kinds of task connections, as in the reference's connection types. */
export const ConnectionKind = ['input', 'prerequisiteInput', 'output', 'initInput', 'initOutput'] as const;
export type ConnectionKind = (typeof ConnectionKind)[number];

/** One connection of a task class, with its default dataset type name (may hold `{templates}`). */
export interface ConnectionSpec {
  kind: ConnectionKind;
  /** Default dataset type name; `{name}` parts are filled from `connections.<name>` config. */
  name: string;
  dimensions: string[];
  storageClass: string;
  multiple: boolean;
  minimum: number;
  isCalibration: boolean;
  deferLoad: boolean;
  deferGraphConstraint: boolean;
  /** Condition over the task config (e.g. `doFlat`, `not useCellCoadds`); absent = always. */
  when: string | undefined;
}

/** What the catalog knows about one task class. */
export interface TaskCatalogEntry {
  taskClass: string;
  /** Quantum dimensions of the task. */
  dimensions: string[];
  /** Default values of the connection name templates (`coaddName: deep`). */
  templates: Record<string, string>;
  /** Default config values (nested); the pipeline's overrides apply on top. */
  config: ConfigObject;
  connections: Record<string, ConnectionSpec>;
  /** One-line description of the task. */
  description: string | undefined;
  /** Catalog file or module the entry came from. */
  source: string;
}

/**
 * The set of task classes whose connections bps-ts knows: TypeScript task modules of built-in
 * tasks plus YAML catalog files for external classes (`pipelines/catalog/*.yaml`).
 */
export class TaskCatalog {
  readonly #entries = new Map<string, TaskCatalogEntry>();

  constructor(entries: Iterable<TaskCatalogEntry> = []) {
    for (const e of entries) this.add(e);
  }

  /** Adds or replaces the entry of a class (later sources win, so users can override). */
  add(entry: TaskCatalogEntry): void {
    this.#entries.set(entry.taskClass, entry);
  }

  /** The entry of `taskClass`, if the catalog knows it. */
  get(taskClass: string): TaskCatalogEntry | undefined {
    return this.#entries.get(taskClass);
  }

  has(taskClass: string): boolean {
    return this.#entries.has(taskClass);
  }

  /** All entries in insertion order. */
  entries(): TaskCatalogEntry[] {
    return [...this.#entries.values()];
  }

  get size(): number {
    return this.#entries.size;
  }
}
