import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** `bps-ts <version> (node <version>)`, recorded in provenance. */
export function softwareVersion(): string {
  if (cached === undefined) {
    let version = 'unknown';
    try {
      const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version?: string };
      version = pkg.version ?? version;
    } catch {
      // A copy without package.json still runs; provenance says so.
    }
    cached = `bps-ts ${version} (node ${process.version})`;
  }
  return cached;
}

const hashes = new WeakMap<object, string>();

/** SHA-256 of a config, independent of key order (remembered per config object: configs are not mutated). */
export function hashConfig(config: unknown): string {
  const known = config !== null && typeof config === 'object' ? hashes.get(config) : undefined;
  if (known !== undefined) return known;
  const hash = createHash('sha256').update(stableStringify(config)).digest('hex');
  if (config !== null && typeof config === 'object') hashes.set(config, hash);
  return hash;
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
