/**
 * Small helpers shared by every layer: ids, logging, tables, safe paths.
 * @packageDocumentation
 */
export { makeUuid7, isUuid } from './uuid7.js';
export { createLogger, createSilentLogger } from './logger.js';
export type { Logger, LoggerOptions } from './logger.js';
export { formatTable } from './table.js';
export type { Cell } from './table.js';
