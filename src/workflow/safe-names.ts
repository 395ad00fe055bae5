/** Longest job name produced (batch systems limit names; Slurm keeps 1024, HTCondor DAG node names are safe well below). */
export const MAX_JOB_NAME = 200;

const SAFE_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9.-]|_(?!_))*(?<!_)$/;
const SAFE_SEGMENT = /^[A-Za-z0-9_=+-][A-Za-z0-9_.=+-]{0,99}$/;

/**
 * Makes a name safe for any batch system and file system: characters outside
 * `A-Z a-z 0-9 _ . -` become `_`, runs of `_` collapse, a leading `-` or `.` is dropped, and an
 * empty result becomes `job`.
 */
export function sanitizeJobName(name: string): string {
  if (name.length <= MAX_JOB_NAME && SAFE_NAME.test(name)) return name;
  let safe = name.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/_+/g, '_').replace(/^[-._]+/, '').replace(/_+$/, '');
  if (safe.length > MAX_JOB_NAME) safe = safe.slice(0, MAX_JOB_NAME);
  return safe === '' ? 'job' : safe;
}

/** Hands out names that are unique: a repeated name gets `_2`, `_3`, ... */
export class UniqueNames {
  private readonly used = new Set<string>();

  constructor(reserved: readonly string[] = []) {
    for (const r of reserved) this.used.add(r);
  }

  take(name: string): string {
    let candidate = name;
    for (let n = 2; this.used.has(candidate); n++) candidate = `${name}_${n}`;
    this.used.add(candidate);
    return candidate;
  }
}

/** One directory name from untrusted text: safe characters only, never `.` or `..`. */
export function sanitizePathSegment(segment: string): string {
  if (SAFE_SEGMENT.test(segment)) return segment;
  const safe = segment.replace(/[^A-Za-z0-9_.=+-]/g, '_').replace(/^\.+/, (dots) => '_'.repeat(dots.length));
  return safe.slice(0, 100);
}
