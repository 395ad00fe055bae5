import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConflictError } from '../errors/index.js';
import { FileDatastore, writeAtomic, type PlacedArtifact, type TemplateFields } from '../datastore/index.js';
import { Registry, type DatasetRef, type StoredFileRecord } from '../registry/index.js';
import { defaultRepoConfig, formatRepoConfig, readRepoConfig, registryUrl, REPO_CONFIG_FILE, type RepoConfig } from './repo-config.js';

/** Options of {@link Butler.create}. */
export interface CreateRepoOptions {
  /** PostgreSQL URL; the embedded SQLite file otherwise. */
  db?: string;
  namespace?: string;
  templates?: Record<string, string>;
}

/** A repository: its registry and its file datastore, opened from `REPO/butler.yaml`. */
export class Butler {
  private constructor(
    readonly repo: string,
    readonly config: RepoConfig,
    readonly registry: Registry,
    readonly datastore: FileDatastore,
  ) {}

  /** Creates a repository directory with a new registry; refuses a non-empty directory that is already one. */
  static async create(repo: string, options: CreateRepoOptions = {}): Promise<Butler> {
    const dir = resolve(repo);
    if (existsSync(join(dir, REPO_CONFIG_FILE))) {
      throw new ConflictError(`"${repo}" is already a repository.`, { hint: 'Choose a new directory, or use the existing repository.' });
    }
    if (existsSync(dir) && readdirSync(dir).length > 0 && !options.db) {
      throw new ConflictError(`Directory "${repo}" exists and is not empty.`, { hint: 'Create the repository in a new or empty directory.' });
    }
    const madeDir = !existsSync(dir);
    mkdirSync(dir, { recursive: true });
    const config = defaultRepoConfig({
      ...(options.db ? { db: options.db } : {}),
      ...(options.namespace ? { namespace: options.namespace } : {}),
      ...(options.templates ? { templates: options.templates } : {}),
    });
    let registry: Registry;
    try {
      registry = await Registry.create({ url: registryUrl(dir, config), ...(config.registry.namespace ? { namespace: config.registry.namespace } : {}) });
    } catch (err) {
      if (madeDir) rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    // butler.yaml is written last, so a failed creation leaves no directory claiming to be a repository.
    await writeAtomic(join(dir, REPO_CONFIG_FILE), formatRepoConfig(config));
    return new Butler(dir, config, registry, new FileDatastore({ root: resolve(dir, config.datastore.root), ...(config.datastore.templates ? { templates: config.datastore.templates } : {}) }));
  }

  /** Opens an existing repository. */
  static async open(repo: string): Promise<Butler> {
    const dir = resolve(repo);
    const config = readRepoConfig(dir);
    const registry = await Registry.open({ url: registryUrl(dir, config), ...(config.registry.namespace ? { namespace: config.registry.namespace } : {}) });
    return new Butler(dir, config, registry, new FileDatastore({ root: resolve(dir, config.datastore.root), ...(config.datastore.templates ? { templates: config.datastore.templates } : {}) }));
  }

  async close(): Promise<void> {
    await this.registry.close();
  }

  /** Template fields of a dataset, with the records of its data ID for `{visit.name}`-style fields. */
  async templateFields(ref: DatasetRef, dimensions: readonly string[], registry: Registry = this.registry): Promise<TemplateFields> {
    const expanded = await registry.expandDataId(dimensions, ref.dataId);
    return { run: ref.run, datasetType: ref.datasetType, dataId: expanded.dataId, records: expanded.records };
  }

  /**
   * Places files (already done by `place`) and records them in the registry in one transaction;
   * if the registry refuses, every placed file is taken back.
   */
  async commitArtifacts<T>(placed: readonly PlacedArtifact[], record: (registry: Registry) => Promise<T>): Promise<T> {
    try {
      return await this.registry.transaction(record);
    } catch (err) {
      for (const p of [...placed].reverse()) await p.undo().catch(() => undefined);
      throw err;
    }
  }

  /** Datastore records of refs, in order; undefined where a dataset has no file. */
  async artifactsOf(refs: readonly DatasetRef[]): Promise<(StoredFileRecord | undefined)[]> {
    const records = await this.registry.getDatastoreRecords(refs.map((r) => r.id));
    return refs.map((r) => records.get(r.id));
  }
}
