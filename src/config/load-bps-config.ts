import { userInfo } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BpsConfig } from './bps-config.js';
import type { ConfigLayer } from './config-tree.js';
import { applyBpsOverrides, type BpsOverrides } from './bps-overrides.js';
import type { ConfigEnv } from './expand-env.js';
import { readConfigFile } from './read-config-file.js';

/** The defaults file shipped with bps-ts (works from src/ and from dist/). */
export const BPS_DEFAULTS_FILE = fileURLToPath(new URL('../../src/config/bps-defaults.yaml', import.meta.url));
/** The site definitions shipped with bps-ts. */
export const SITE_CONFIG_DIR = fileURLToPath(new URL('../../site-configs/', import.meta.url));

/** Options of {@link loadBpsConfig}. */
export interface LoadBpsConfigOptions {
  /** The submit YAML. */
  readonly file: string;
  /** Environment for `${ENV}` (default: none; the CLI passes `process.env`). */
  readonly env?: ConfigEnv;
  /** Working directory, visible as `${PWD}` (wins over `env.PWD`). */
  readonly cwd?: string;
  /** Defaults file; `null` for none (default: {@link BPS_DEFAULTS_FILE}). */
  readonly defaultsFile?: string | null;
  /** Folders searched for `<computeSite>.yaml` (default: [{@link SITE_CONFIG_DIR}]). */
  readonly siteConfigDirs?: readonly string[];
  /** Command-line values (highest priority). */
  readonly overrides?: BpsOverrides;
  /** Submission time, for `{timestamp}` (default: now). */
  readonly now?: Date;
  /** Login name for `{operator}` when the config sets none (default: `env.USER`/`env.LOGNAME`). */
  readonly operator?: string;
}

/** `Instrument.makeCollectionTimestamp()` format: `20240904T113949Z` (UTC). */
export function formatRunTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/**
 * Loads a submission's configuration: defaults < site definition (`<computeSite>.yaml`) <
 * submit YAML (with its `includeConfigs`) < command line, plus the values bps defines
 * (`timestamp`, `operator`). Reads files only.
 */
export function loadBpsConfig(options: LoadBpsConfigOptions): BpsConfig {
  const env: ConfigEnv = { ...options.env, ...(options.cwd === undefined ? {} : { PWD: options.cwd }) };
  const defaultsFile = options.defaultsFile === undefined ? BPS_DEFAULTS_FILE : options.defaultsFile;
  const defaults: ConfigLayer[] = defaultsFile === null ? [] : [readConfigFile(defaultsFile, env)];
  const user = readConfigFile(options.file, env);
  const overrides = options.overrides ?? {};

  const withoutSite = applyBpsOverrides(BpsConfig.fromLayers([...defaults, user], env), overrides);
  const site = withoutSite.search('computeSite', { replaceVars: true });
  const siteFile = typeof site === 'string' && /^[\w.-]+$/.test(site) ? findSiteFile(site, options.siteConfigDirs ?? [SITE_CONFIG_DIR]) : undefined;
  const merged = siteFile === undefined ? withoutSite : applyBpsOverrides(BpsConfig.fromLayers([...defaults, readConfigFile(siteFile, env), user], env), overrides);

  const defined: { path: string; value: unknown; origin: string }[] = [
    { path: 'bps_defined.timestamp', value: formatRunTimestamp(options.now ?? new Date()), origin: 'bps-ts' },
  ];
  if (!merged.has('operator')) {
    defined.push({ path: 'bps_defined.operator', value: options.operator ?? env['USER'] ?? env['LOGNAME'] ?? currentUser(), origin: 'bps-ts' });
  }
  return merged.withValues(defined);
}

function findSiteFile(site: string, dirs: readonly string[]): string | undefined {
  for (const dir of dirs) {
    const file = join(dir, `${site}.yaml`);
    if (existsSync(file)) return file;
  }
  return undefined;
}

/** The login name of the process owner, for `operator` when the environment does not say. */
function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
