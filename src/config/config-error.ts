import { InvalidInputError, type BpsErrorOptions } from '../errors/index.js';

/**
 * A bps configuration problem: unreadable or malformed YAML, an undefined `{variable}` or
 * `${ENV}`, a cycle of variables or `includeConfigs`, a value of the wrong type. `file` is the
 * file that holds the offending value (or `command line`), `key` its key path.
 */
export class ConfigError extends InvalidInputError {
  constructor(message: string, options: BpsErrorOptions & { file?: string; key?: string } = {}) {
    super(message, options);
  }
}
