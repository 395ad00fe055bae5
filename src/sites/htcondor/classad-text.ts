import { SiteError } from '../site-error.js';

/** A ClassAd attribute value as the parsers keep it; anything not a literal stays an expression. */
export type ClassAdValue = string | number | boolean | null | readonly ClassAdValue[] | { readonly expr: string };
/** A ClassAd: attribute name → value (names as written; ClassAd names are case-insensitive). */
export type ClassAd = Readonly<Record<string, ClassAdValue>>;

/** Reads an attribute whatever the case of its name (ClassAd attribute names are case-insensitive). */
export function getAttr(ad: ClassAd, name: string): ClassAdValue | undefined {
  if (name in ad) return ad[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(ad)) if (key.toLowerCase() === lower) return ad[key];
  return undefined;
}

/** An integer attribute, or `undefined`. */
export function getNumber(ad: ClassAd, name: string): number | undefined {
  const v = getAttr(ad, name);
  return typeof v === 'number' ? v : undefined;
}

/** A string attribute, or `undefined`. */
export function getString(ad: ClassAd, name: string): string | undefined {
  const v = getAttr(ad, name);
  return typeof v === 'string' ? v : undefined;
}

/** A boolean attribute, or `undefined`. */
export function getBoolean(ad: ClassAd, name: string): boolean | undefined {
  const v = getAttr(ad, name);
  return typeof v === 'boolean' ? v : undefined;
}

class Reader {
  pos = 0;
  constructor(
    readonly text: string,
    readonly source: string,
  ) {}

  fail(what: string): never {
    const line = this.text.slice(0, this.pos).split('\n').length;
    throw new SiteError(`${this.source}: ${what} at line ${line}`, { site: 'htcondor', hint: 'the file may be partly written; read it again after DAGMan rewrites it' });
  }

  skip(): void {
    for (;;) {
      const rest = this.text.slice(this.pos);
      const m = /^(?:\s+|\/\*[\s\S]*?\*\/|\/\/[^\n]*)/.exec(rest);
      if (m === null || m[0] === '') return;
      this.pos += m[0].length;
    }
  }

  peek(): string {
    this.skip();
    return this.text[this.pos] ?? '';
  }

  expect(c: string): void {
    if (this.peek() !== c) this.fail(`expected '${c}'`);
    this.pos++;
  }

  string(): string {
    let out = '';
    this.pos++;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos++]!;
      if (c === '"') return out;
      if (c === '\\') {
        const n = this.text[this.pos++] ?? '';
        out += n === 'n' ? '\n' : n === 't' ? '\t' : n;
      } else out += c;
    }
    return this.fail('unterminated string');
  }

  value(): ClassAdValue {
    const c = this.peek();
    if (c === '"') return this.string();
    if (c === '{') {
      this.pos++;
      const items: ClassAdValue[] = [];
      while (this.peek() !== '}') {
        items.push(this.value());
        if (this.peek() === ',') this.pos++;
        else if (this.peek() !== '}') this.fail("expected ',' or '}' in a list");
      }
      this.pos++;
      return items;
    }
    // Anything else runs to the next ';' or ']' outside strings: literal or expression.
    const start = this.pos;
    let depth = 0;
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos]!;
      if (ch === '"') {
        this.string();
        continue;
      }
      if (depth === 0 && (ch === ';' || ch === ']')) break;
      if ('({['.includes(ch)) depth++;
      else if (')}]'.includes(ch)) depth--;
      this.pos++;
    }
    const raw = this.text.slice(start, this.pos).replace(/\/\*[\s\S]*?\*\//g, '').trim();
    if (raw === '') this.fail('missing value');
    if (/^[+-]?\d+$/.test(raw)) return Number.parseInt(raw, 10);
    if (/^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$/.test(raw)) return Number.parseFloat(raw);
    if (/^true$/i.test(raw)) return true;
    if (/^false$/i.test(raw)) return false;
    if (/^undefined$/i.test(raw)) return null;
    return { expr: raw };
  }

  ad(): ClassAd {
    this.expect('[');
    const ad: Record<string, ClassAdValue> = {};
    while (this.peek() !== ']') {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(this.text.slice(this.pos));
      if (m === null) this.fail('expected an attribute name');
      this.pos += m[0].length;
      this.expect('=');
      ad[m[0]] = this.value();
      if (this.peek() === ';') this.pos++;
      else if (this.peek() !== ']') this.fail("expected ';' or ']'");
    }
    this.pos++;
    return ad;
  }
}

/**
 * Parses a sequence of ClassAds in the new ClassAd text format (`[ A = 1; B = "x"; ]` ...),
 * as DAGMan writes its node status file; `/* *\/` and `//` comments are skipped.
 */
export function parseClassAdSequence(text: string, source = 'ClassAd text'): ClassAd[] {
  const r = new Reader(text, source);
  const ads: ClassAd[] = [];
  while (r.peek() !== '') ads.push(r.ad());
  return ads;
}

/**
 * Parses `condor_q -json` / `condor_history -json` output: a JSON array of ads (empty
 * output when nothing matched). Expressions, which HTCondor writes as the string
 * `"\/Expr(...)\/"`, become `{ expr }`.
 */
export function parseClassAdJson(text: string, source = 'condor_q -json output'): ClassAd[] {
  if (text.trim() === '') return [];
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new SiteError(`${source} is not valid JSON: ${(cause as Error).message}`, { site: 'htcondor', cause, hint: 'run the command by hand with -json and check its output' });
  }
  if (!Array.isArray(data)) throw new SiteError(`${source} is not a JSON array of job ads`, { site: 'htcondor', hint: 'pass -json (not -json-lines or -long)' });
  const convert = (v: unknown): ClassAdValue => {
    if (typeof v === 'string') {
      const m = /^\/Expr\(([\s\S]*)\)\/$/.exec(v);
      return m === null ? v : { expr: m[1]! };
    }
    if (Array.isArray(v)) return v.map(convert);
    if (v === null || typeof v === 'number' || typeof v === 'boolean') return v;
    return { expr: JSON.stringify(v) };
  };
  return data.map((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new SiteError(`${source}: entry ${i} is not a job ad`, { site: 'htcondor', hint: 'pass -json' });
    const ad: Record<string, ClassAdValue> = {};
    for (const [k, v] of Object.entries(item as Record<string, unknown>)) ad[k] = convert(v);
    return ad;
  });
}
