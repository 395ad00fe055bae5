import { BpsError, ExitCode, type BpsErrorOptions } from '../errors/index.js';

/** Options of {@link FitsError}: where in which file the problem was found. */
export interface FitsErrorOptions extends BpsErrorOptions {
  file?: string;
  /** Byte offset in the file of the offending card, block or data. */
  offset?: number;
  keyword?: string;
}

/** A FITS file is malformed, truncated, or uses a feature this reader does not support. */
export class FitsError extends BpsError {
  override readonly code = 'FITS';
  override readonly exitCode = ExitCode.invalidInput;
  readonly file: string | undefined;
  readonly offset: number | undefined;
  readonly keyword: string | undefined;

  constructor(message: string, options: FitsErrorOptions = {}) {
    super(message, options);
    this.file = options.file;
    this.offset = options.offset;
    this.keyword = options.keyword;
  }
}
