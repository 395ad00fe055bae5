/**
 * Small helpers shared by every layer: ids, logging, tables, safe paths.
 * @packageDocumentation
 */
export { makeUuid7, isUuid } from './uuid7.js';
export { createLogger, createSilentLogger } from './logger.js';
export type { Logger, LoggerOptions } from './logger.js';
export { formatTable } from './table.js';
export type { Cell } from './table.js';
/**
 * `ConfigFields`: typed reads of a parsed YAML mapping (`string`, `number`, `list`, `checkKeys`...)
 * whose errors name the file and key path; `ConfigFields.root(file, doc, what)` starts at the top.
 */
export { ConfigFields } from './config-fields.js';
