import { InvalidInputError, type BpsErrorOptions } from '../errors/index.js';

/** A generic workflow cannot be made (bad finalJob settings...) or its JSON file is malformed. */
export class WorkflowError extends InvalidInputError {
  constructor(message: string, options: BpsErrorOptions & { file?: string; key?: string } = {}) {
    super(message, options);
  }
}
