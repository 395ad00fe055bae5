import { BpsError, ExitCode, type BpsErrorOptions } from '../errors/index.js';
import type { RawFileFailure } from './raw-headers.js';

/** One line per failed raw file: the file, the keyword at fault, the reason. */
export function formatRawFailure(f: RawFileFailure): string {
  return f.message.includes(f.file) ? f.message : `raw file '${f.file}': ${f.message}`;
}

/**
 * Raw files could not be ingested. With `--fail-fast` nothing was ingested; without it, the other
 * files were, and this error only sets the exit code after the summary.
 */
export class IngestRawsError extends BpsError {
  override readonly code = 'RAW_INGEST';
  override readonly exitCode = ExitCode.invalidInput;
  readonly failures: readonly RawFileFailure[];

  constructor(failures: readonly RawFileFailure[], options: BpsErrorOptions & { ingested?: number } = {}) {
    const shown = failures.slice(0, 20).map(formatRawFailure).join('\n  ');
    const more = failures.length > 20 ? `\n  ... and ${failures.length - 20} more` : '';
    const what = options.ingested === undefined ? 'nothing was ingested' : `${options.ingested} other file(s) were ingested`;
    super(`${failures.length} raw file(s) could not be ingested (${what}):\n  ${shown}${more}`, {
      hint: options.hint ?? 'Fix or remove the files named above and run ingest-raws again (with --skip-existing to pass over the files already ingested).',
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
    this.failures = failures;
  }
}
