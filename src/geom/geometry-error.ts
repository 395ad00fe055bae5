import { BpsError, ExitCode, type BpsErrorOptions } from '../errors/index.js';

/** A region or projection cannot be built from the values given (degenerate polygon, bad JSON...). */
export class GeometryError extends BpsError {
  override readonly code = 'GEOMETRY';
  override readonly exitCode = ExitCode.invalidInput;
  readonly value: string | undefined;

  constructor(message: string, options: BpsErrorOptions & { value?: string } = {}) {
    super(message, options);
    this.value = options.value;
  }
}
