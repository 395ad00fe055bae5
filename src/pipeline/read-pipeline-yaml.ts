import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { PipelineError } from './pipeline-errors.js';

/**
 * Reads and parses one YAML file. Duplicate keys at any level are an error (as with the
 * reference's pipeline loader), reported with the file, line and key.
 */
export function readYamlFile(file: string, what = 'pipeline'): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new PipelineError(`cannot read ${what} file '${file}': ${(err as Error).message}`, {
      file,
      cause: err,
      hint: 'check the path and any $VARIABLES it uses',
    });
  }
  return parseYamlText(text, file, what);
}

/** Parses YAML text that came from `file` (used in messages). */
export function parseYamlText(text: string, file: string, what = 'pipeline'): unknown {
  const doc = parseDocument(text, { uniqueKeys: true, merge: true, prettyErrors: true });
  const first = doc.errors[0];
  if (first !== undefined) {
    const dup = first.code === 'DUPLICATE_KEY';
    const where = first.linePos?.[0] ? ` at line ${first.linePos[0].line}, column ${first.linePos[0].col}` : '';
    const message = dup
      ? `${what} file '${file}' has a duplicated key${where}: ${what} files must not repeat a key in the same mapping`
      : `${what} file '${file}' is not valid YAML${where}: ${first.message.split('\n')[0] ?? ''}`;
    throw new PipelineError(message, { file, hint: dup ? 'remove or rename the repeated key' : undefined });
  }
  return doc.toJS({ maxAliasCount: -1 }) as unknown;
}
