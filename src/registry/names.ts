import { InvalidInputError, NotFoundError } from '../errors/index.js';

const FORBIDDEN = /[\u0000-\u001f\u007f,*?[\]]/;

/**
 * Checks a collection name: 1–255 characters, no control characters, commas (they separate
 * names on command lines) or glob characters (they are patterns in queries).
 */
export function validateCollectionName(name: string): void {
  if (name.length === 0 || name.length > 255 || FORBIDDEN.test(name) || name !== name.trim()) {
    throw new InvalidInputError(`Collection name ${JSON.stringify(name)} is not allowed.`, {
      hint: 'Use 1-255 printable characters without commas, glob characters (* ? [ ]) or leading/trailing spaces, e.g. "u/alice/run1".',
    });
  }
}

const DATASET_TYPE_RE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Checks a dataset type name: an identifier, optionally with `.component` parts. */
export function validateDatasetTypeName(name: string): void {
  if (!DATASET_TYPE_RE.test(name) || name.length > 128) {
    throw new InvalidInputError(`Dataset type name ${JSON.stringify(name)} is not allowed.`, {
      hint: 'Use letters, digits and underscores, starting with a letter (e.g. "calexp", "deepCoadd_calexp").',
    });
  }
}

/** Edit distance with transpositions, for "did you mean" suggestions. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The candidate closest to `name` if it is close enough to be a likely typo. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const dist = editDistance(name.toLowerCase(), c.toLowerCase());
    if (dist < bestDistance) {
      best = c;
      bestDistance = dist;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** A NotFoundError for `what` called `name`, suggesting the closest known name. */
export function notFound(what: string, name: string, known: Iterable<string>, fix: string): NotFoundError {
  const suggestion = closestName(name, known);
  return new NotFoundError(`${what} "${name}" does not exist.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`, { hint: fix });
}

/** Converts a glob (`*`, `?`) to an anchored regular expression. */
export function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}
