import { PipelineError } from './pipeline-errors.js';

/** The part of a pipeline URI after `#`: a set of labels or a range of tasks. */
export type LabelSpecifier =
  | { kind: 'labels'; labels: string[] }
  | { kind: 'range'; begin: string | undefined; end: string | undefined };

/**
 * Splits `file.yaml#fragment` into the file and its label specifier: `#a` (one task or subset
 * label), `#a,b` (several), `#a..b`, `#..b`, `#a..` (range, inclusive, by data flow).
 */
export function parsePipelineUri(uri: string): { file: string; specifier: LabelSpecifier | undefined; fragment: string | undefined } {
  const hashes = uri.split('#').length - 1;
  if (hashes > 1) {
    throw new PipelineError(`only one set of labels is allowed when specifying a pipeline to load, got '${uri}'`, { file: uri, hint: 'use one #fragment, e.g. file.yaml#a,b' });
  }
  if (hashes === 0 && /:(?!\/\/)/.test(uri.replace(/^[A-Za-z]:[\\/]/, ''))) {
    const suggested = uri.replace(/:(?!\/\/)([^:]*)$/, '#$1');
    throw new PipelineError(`the pipeline file '${uri}' seems to use the legacy ':' to separate labels; use '#' instead`, { file: uri, hint: `-p ${suggested}` });
  }
  const [file, rawFragment] = uri.split('#') as [string, string | undefined];
  if (rawFragment === undefined || rawFragment === '') return { file, specifier: undefined, fragment: undefined };
  const fragment = decodeURIComponent(rawFragment);
  if (fragment.includes(',')) {
    if (fragment.includes('..')) {
      throw new PipelineError(`'${fragment}' in '${uri}': can only specify a list of labels or a range when loading a pipeline, not both`, { file, key: fragment });
    }
    return { file, specifier: { kind: 'labels', labels: fragment.split(',').map((l) => l.trim()).filter((l) => l !== '') }, fragment };
  }
  if (fragment.includes('..')) {
    const parts = fragment.split('..');
    if (parts.length > 2) throw new PipelineError(`'${fragment}' in '${uri}': only one range can be specified when loading a pipeline`, { file, key: fragment });
    const [begin, end] = parts as [string, string];
    return { file, specifier: { kind: 'range', begin: begin === '' ? undefined : begin, end: end === '' ? undefined : end }, fragment };
  }
  return { file, specifier: { kind: 'labels', labels: [fragment] }, fragment };
}
