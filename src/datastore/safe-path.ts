import { isAbsolute, relative, resolve, sep } from 'node:path';
import { DatastoreError } from '../errors/index.js';

/**
 * Joins `rel` to `root` and checks that the result stays inside `root`; a path that would
 * escape (absolute, or through `..`) is a DatastoreError.
 */
export function resolveInside(root: string, rel: string): string {
  const absRoot = resolve(root);
  const full = resolve(absRoot, rel);
  const back = relative(absRoot, full);
  if (isAbsolute(rel) || back === '' || back.startsWith('..') || isAbsolute(back) || !full.startsWith(absRoot + sep)) {
    throw new DatastoreError(`Path "${rel}" would place a file outside the datastore root "${absRoot}".`, {
      path: rel,
      hint: 'Datastore paths are relative and may not contain "..".',
    });
  }
  return full;
}
