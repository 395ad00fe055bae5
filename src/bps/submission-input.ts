import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BpsConfig, loadBpsConfig, searchString, type BpsOverrides, type ConfigEnv } from '../config/index.js';
import { InvalidInputError } from '../errors/index.js';

/** File in the submit directory recording how the submission was made, for resuming stages. */
export const SUBMISSION_FILE = 'bps-submission.json';

/** What a submission was made from: enough to load the same configuration again. */
export interface SubmissionInput {
  /** Absolute path of the submit YAML. */
  readonly configFile: string;
  readonly overrides: BpsOverrides;
  /** Directory bps-ts ran in (relative paths in the config are relative to it). */
  readonly cwd: string;
  /** Submission time (ISO), the `{timestamp}` of the run. */
  readonly submittedAt: string;
}

/** Options of {@link loadSubmissionConfig}. */
export interface LoadSubmissionOptions {
  readonly input: SubmissionInput;
  readonly env: ConfigEnv;
  /**
   * How jobs start the `qg` of this installation (e.g. `[node, /…/dist/cli/qg.js]`); used when
   * the config's `qgExecutable` is the default `qg`.
   */
  readonly qgCommand?: readonly string[];
}

/** Loads the configuration of a submission (same timestamp every time). */
export function loadSubmissionConfig(options: LoadSubmissionOptions): BpsConfig {
  const { input } = options;
  const config = loadBpsConfig({ file: input.configFile, env: options.env, cwd: input.cwd, overrides: input.overrides, now: new Date(input.submittedAt) });
  if (options.qgCommand !== undefined && config.search('qgExecutable') === 'qg') {
    return config.withValues([{ path: 'bps_defined.qgExecutable', value: [...options.qgCommand], origin: 'bps-ts' }]);
  }
  return config;
}

/** The absolute submit directory of a configuration. */
export function readSubmitPath(config: BpsConfig, cwd: string): string {
  const value = searchString(config, 'submitPath');
  if (value === undefined || value === '') throw new InvalidInputError('bps setting submitPath is empty', { key: 'submitPath', hint: 'set submitPath (the defaults use ${PWD}/submit/{outputRun})' });
  return resolve(cwd, value);
}

export function writeSubmissionInput(submitPath: string, input: SubmissionInput): void {
  writeFileSync(join(submitPath, SUBMISSION_FILE), `${JSON.stringify(input, null, 2)}\n`);
}

/** Reads the submission record of a submit directory (to resume its stages). */
export function readSubmissionInput(submitPath: string): SubmissionInput {
  const file = join(resolve(submitPath), SUBMISSION_FILE);
  if (!existsSync(file)) throw new InvalidInputError(`'${submitPath}' is not a bps-ts submit directory (no ${SUBMISSION_FILE})`, { file, hint: 'give the directory a stage printed (submit/<output run>)' });
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SubmissionInput;
  } catch (err) {
    throw new InvalidInputError(`cannot read ${file}: ${(err as Error).message}`, { file, cause: err, hint: 'the file was edited; submit again' });
  }
}
