import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { InvalidInputError, NotFoundError } from '../errors/index.js';

/** The file at the top of a repository saying where its registry and datastore are. */
export const REPO_CONFIG_FILE = 'butler.yaml';

/** Contents of `butler.yaml`. */
export interface RepoConfig {
  registry: {
    /** `sqlite:FILE` (relative to the repository) or `postgresql://...`. */
    db: string;
    /** PostgreSQL schema of this repository. */
    namespace?: string;
  };
  datastore: {
    /** Datastore root, relative to the repository. */
    root: string;
    templates?: Record<string, string>;
  };
}

/** Default config of a new repository on the embedded SQLite registry. */
export function defaultRepoConfig(options: { db?: string; namespace?: string; templates?: Record<string, string> } = {}): RepoConfig {
  return {
    registry: { db: options.db ?? 'sqlite:gen3.sqlite3', ...(options.namespace ? { namespace: options.namespace } : {}) },
    datastore: { root: '.', ...(options.templates ? { templates: options.templates } : {}) },
  };
}

/** Reads `REPO/butler.yaml`, checking its keys. */
export function readRepoConfig(repo: string): RepoConfig {
  const file = join(repo, REPO_CONFIG_FILE);
  if (!existsSync(file)) {
    throw new NotFoundError(`"${repo}" is not a bps-ts repository (no ${REPO_CONFIG_FILE}).`, {
      hint: `Create one with \`butler-ts create ${repo}\`, or check the path (BUTLER_REPO may point elsewhere).`,
    });
  }
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InvalidInputError(`${file} is not valid YAML: ${(err as Error).message}`, { file, cause: err });
  }
  const config = raw as Partial<RepoConfig> | null;
  if (!config || typeof config.registry?.db !== 'string') {
    throw new InvalidInputError(`${file} lacks registry.db.`, { file, key: 'registry.db', hint: 'It should read e.g. "registry: {db: sqlite:gen3.sqlite3}".' });
  }
  return { registry: config.registry, datastore: { root: config.datastore?.root ?? '.', ...(config.datastore?.templates ? { templates: config.datastore.templates } : {}) } };
}

/** The YAML text of a repository config. */
export function formatRepoConfig(config: RepoConfig): string {
  return stringifyYaml(config);
}

/** The database URL of a repository, with relative SQLite paths made absolute. */
export function registryUrl(repo: string, config: RepoConfig): string {
  const db = config.registry.db;
  if (/^postgres(ql)?:\/\//.test(db)) return db;
  const file = db.replace(/^sqlite:(\/\/)?/, '');
  return resolve(repo, file);
}
