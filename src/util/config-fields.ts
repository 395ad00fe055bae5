import { InvalidInputError } from '../errors/index.js';

/** Reads typed fields of a YAML mapping (instrument and skymap files), raising errors that name the file and key path. */
export class ConfigFields {
  constructor(
    readonly file: string,
    readonly value: Record<string, unknown>,
    readonly path: string,
  ) {}

  static root(file: string, doc: unknown, what: string): ConfigFields {
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
      throw new InvalidInputError(`${what} '${file}' must be a YAML mapping, got ${JSON.stringify(doc)}`, { file });
    }
    return new ConfigFields(file, doc as Record<string, unknown>, '');
  }

  private key(name: string): string {
    return this.path === '' ? name : `${this.path}.${name}`;
  }

  fail(name: string, message: string): never {
    throw new InvalidInputError(`'${this.file}': key '${this.key(name)}': ${message}`, { file: this.file, key: this.key(name) });
  }

  checkKeys(allowed: readonly string[]): void {
    const unknown = Object.keys(this.value).filter((k) => !allowed.includes(k));
    if (unknown.length > 0) this.fail(unknown[0]!, `unknown key; allowed keys: ${allowed.join(', ')}`);
  }

  has(name: string): boolean {
    return this.value[name] !== undefined && this.value[name] !== null;
  }

  string(name: string, fallback?: string): string {
    const v = this.value[name] ?? fallback;
    if (typeof v !== 'string' || v === '') this.fail(name, `expected a non-empty string, got ${JSON.stringify(v)}`);
    return v;
  }

  number(name: string, options: { fallback?: number; min?: number; integer?: boolean; positive?: boolean } = {}): number {
    const v = this.value[name] ?? options.fallback;
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(name, `expected a number, got ${JSON.stringify(v)}`);
    if (options.integer === true && !Number.isInteger(v)) this.fail(name, `expected an integer, got ${v}`);
    if (options.positive === true && v <= 0) this.fail(name, `must be positive, got ${v}`);
    if (options.min !== undefined && v < options.min) this.fail(name, `must be at least ${options.min}, got ${v}`);
    return v;
  }

  numberPair(name: string): [number, number] {
    const v = this.value[name];
    const ok = Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number' && Number.isInteger(x) && x > 0);
    if (!ok) this.fail(name, `expected two positive integers [x, y], got ${JSON.stringify(v)}`);
    return [v[0], v[1]];
  }

  list(name: string): ConfigFields[] {
    const v = this.value[name];
    if (!Array.isArray(v) || v.length === 0) this.fail(name, `expected a non-empty list, got ${JSON.stringify(v)}`);
    return v.map((item, i) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        this.fail(`${name}[${i}]`, `expected a mapping, got ${JSON.stringify(item)}`);
      }
      return new ConfigFields(this.file, item as Record<string, unknown>, this.key(`${name}[${i}]`));
    });
  }
}
