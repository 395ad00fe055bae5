/**
 * bps configuration: the submit YAML of a batch submission, read with the reference's
 * (ctrl_bps) key names, defaults, `includeConfigs`, `{var}` and `${ENV}` substitution and
 * search order (command line > payload > cluster.<label> > pipetask.<label> >
 * site.<computeSite> > cloud > bps-defined values > root). Unlike the reference, an undefined
 * `{var}` or `${ENV}` is an error naming the key and the file. Reads files only.
 *
 * Typical use: `loadBpsConfig({ file, env, cwd, overrides })` →
 * `config.search('requestMemory', { curvals: { curr_pipetask: 'isr' } })`.
 * @packageDocumentation
 */

/** The configuration object, its search order and search options. */
export { BpsConfig, BPS_SEARCH_ORDER } from './bps-config.js';
export type { ConfigHit, SearchOptions, SearchSection } from './bps-config.js';
/** Loads defaults, site definition, submit YAML and command-line values into one config. */
export { loadBpsConfig, formatRunTimestamp, BPS_DEFAULTS_FILE, SITE_CONFIG_DIR } from './load-bps-config.js';
export type { LoadBpsConfigOptions } from './load-bps-config.js';
/** Command-line values (`-b -i -o --output-run -d -p -g --compute-site -c key=value`). */
export { applyBpsOverrides, listOverrideValues, COMMAND_LINE } from './bps-overrides.js';
export type { BpsOverrides } from './bps-overrides.js';
/** Typed reads of settings, with errors naming the key and file. */
export { searchString, searchNumber, searchBoolean, searchList, searchIntList, searchWalltime, parseWalltime } from './search-values.js';
/** Command templates → argument arrays (never a shell string). */
export { expandCommand, splitCommandWords } from './command-words.js';
/** Reading YAML files with `includeConfigs`. */
export { readConfigFile, parseConfigText } from './read-config-file.js';
export type { ConfigLayer, ConfigTree } from './config-tree.js';
/** `${ENV}` expansion and Python format specs, as used by substitution. */
export { expandEnvVars } from './expand-env.js';
export type { ConfigEnv } from './expand-env.js';
export { applyFormatSpec } from './format-spec.js';
/** The error raised for any configuration problem (file and key path as fields). */
export { ConfigError } from './config-error.js';
