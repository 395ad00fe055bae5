import { Command, CommanderError } from 'commander';
import { BpsError, ExitCode } from '../errors/index.js';

/**
 * Parses `argv` with `program` and runs the chosen command. The only place that turns errors into
 * exit codes: a {@link BpsError} prints its message and hint and exits with its code; anything
 * else is an internal error (exit 1) whose stack is shown with `--debug`.
 */
export async function runCli(program: Command, argv: readonly string[]): Promise<void> {
  const debug = argv.includes('--debug');
  program.option('--debug', 'show stack traces of errors');
  program.exitOverride();
  program.configureOutput({ writeErr: (s) => process.stderr.write(s) });
  try {
    await program.parseAsync(argv as string[]);
  } catch (err) {
    process.exitCode = reportError(program.name(), err, debug);
  }
}

function reportError(name: string, err: unknown, debug: boolean): number {
  if (err instanceof CommanderError) {
    if (err.exitCode === 0) return 0;
    return ExitCode.usage;
  }
  if (err instanceof BpsError) {
    process.stderr.write(`${name}: error: ${err.message}\n`);
    if (err.hint) process.stderr.write(`  hint: ${err.hint}\n`);
    if (debug) process.stderr.write(`${err.stack ?? ''}\n${causeChain(err)}`);
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`${name}: internal error: ${message}\n`);
  process.stderr.write(debug && err instanceof Error ? `${err.stack}\n` : '  (run again with --debug for the stack trace)\n');
  return ExitCode.internal;
}

function causeChain(err: Error): string {
  let text = '';
  let cause = err.cause;
  while (cause instanceof Error) {
    text += `caused by: ${cause.stack ?? cause.message}\n`;
    cause = cause.cause;
  }
  return text;
}

/** Writes a result to stdout: JSON when `json` is set, else the given text. */
export function printResult(json: boolean, value: unknown, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`);
}

/** Collects a repeated option into an array (commander helper). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Splits comma-separated values of a possibly repeated option. */
export function splitCommas(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}
