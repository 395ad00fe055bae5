import { ConfigError } from './config-error.js';

/** Environment variables visible to a configuration (passed in; never read from `process`). */
export type ConfigEnv = Readonly<Record<string, string | undefined>>;

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces `${NAME}` with the value of environment variable NAME. A bare `$NAME`, `$1` or
 * `$(...)` is left alone (it belongs to the shell of a job script). An undefined variable is an
 * error naming the file and key, unlike the reference which leaves the text unexpanded.
 */
export function expandEnvVars(text: string, env: ConfigEnv, where: { file?: string; key?: string }): string {
  if (!text.includes('${')) return text;
  return text.replace(ENV_REF, (_m, name: string) => {
    const value = env[name];
    if (value === undefined) {
      const at = where.key === undefined ? '' : ` in '${where.key}'`;
      const from = where.file === undefined ? '' : ` (${where.file})`;
      throw new ConfigError(`undefined environment variable '\${${name}}'${at}${from}`, {
        ...(where.file === undefined ? {} : { file: where.file }),
        ...(where.key === undefined ? {} : { key: where.key }),
        hint: `export ${name}=... before running bps-ts, or replace '\${${name}}' with a literal path`,
      });
    }
    return value;
  });
}

/** The names of the `${NAME}` references in a text. */
export function listEnvRefs(text: string): string[] {
  return [...text.matchAll(ENV_REF)].map((m) => m[1]!);
}
