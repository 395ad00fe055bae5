import type { BpsConfig, SearchOptions } from './bps-config.js';
import { ConfigError } from './config-error.js';

/** One word of a command template; `quoted` if any part of it was in quotes. */
interface Word {
  readonly text: string;
  readonly quoted: boolean;
}

/**
 * Splits a command template into words the way a POSIX shell would for plain words: blanks
 * separate, single quotes keep everything, double quotes keep blanks, a backslash escapes the
 * next character. No expansion of any kind happens here.
 */
export function splitCommandWords(text: string, where: { key: string; file?: string }): Word[] {
  const words: Word[] = [];
  let current = '';
  let quoted = false;
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && (text[i + 1] === '"' || text[i + 1] === '\\')) current += text[++i];
      else current += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      quoted = true;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      current += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push({ text: current, quoted });
      current = '';
      quoted = false;
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (quote !== undefined) {
    throw new ConfigError(`unterminated ${quote === '"' ? 'double' : 'single'} quote in command '${where.key}'${where.file ? ` (${where.file})` : ''}: ${text}`, {
      key: where.key,
      ...(where.file ? { file: where.file } : {}),
      hint: 'close the quote or remove it',
    });
  }
  if (inWord) words.push({ text: current, quoted });
  return words;
}

const WHOLE_VAR = /^\{([A-Za-z_][A-Za-z0-9_.-]*)\}$/;
/** Keys whose text values are option strings, split into several arguments. */
const OPTION_KEY = /(Opts|Options)$/;

/**
 * Expands a command template (`runQuantumCommand`, `finalJob.command1`, ...) into an argument
 * array; no shell ever sees it. The template is split into words first and each word is
 * substituted on its own, so a value with blanks or quotes stays one argument. A word that
 * is exactly `{name}` expands to several arguments when the value is a YAML list, or when
 * `name` ends in `Opts`/`Options` (option strings such as `extraRunQuantumOptions`, split
 * like the template); it disappears when the value is empty.
 */
export function expandCommand(config: BpsConfig, key: string, opts: SearchOptions = {}): string[] | undefined {
  const hit = config.searchHit(key, { ...opts, replaceVars: false, expandEnvVars: false });
  if (hit === undefined || hit.value === null || hit.value === '') return undefined;
  const where = { key: hit.path, ...(hit.file === undefined ? {} : { file: hit.file }) };
  if (Array.isArray(hit.value)) return hit.value.flatMap((item) => expandWord({ text: String(item), quoted: true }, config, where, opts, []));
  if (typeof hit.value !== 'string') {
    throw new ConfigError(`command '${hit.path}' must be a string or a list of arguments, got ${JSON.stringify(hit.value)}`, { ...where, hint: 'write the command as one line of text' });
  }
  return splitCommandWords(hit.value, where).flatMap((word) => expandWord(word, config, where, opts, [hit.path]));
}

function expandWord(word: Word, config: BpsConfig, where: { key: string; file?: string }, opts: SearchOptions, chain: readonly string[]): string[] {
  const m = word.quoted ? null : WHOLE_VAR.exec(word.text);
  const name = m?.[1];
  const skipped = name !== undefined && ((opts.skipNames ?? []).includes(name) || /^wms[A-Z]/.test(name));
  if (name === undefined || skipped) return [config.formatText(word.text, where, opts)];
  const lookup = name.includes('.') ? `.${name}` : name;
  const inner = config.searchHit(lookup, { ...opts, replaceVars: false, expandEnvVars: false, default: undefined });
  if (inner === undefined) return [config.formatText(word.text, where, opts)];
  const innerWhere = { key: inner.path, ...(inner.file === undefined ? {} : { file: inner.file }) };
  if (Array.isArray(inner.value)) return inner.value.map((item) => config.formatText(String(item), innerWhere, opts));
  if (typeof inner.value === 'string' && OPTION_KEY.test(name)) {
    if (chain.includes(inner.path)) throw new ConfigError(`variable cycle: ${[...chain, inner.path].join(' -> ')}`, { ...innerWhere, hint: 'one of these values must not refer back to the others' });
    return splitCommandWords(inner.value, innerWhere).flatMap((w) => expandWord(w, config, innerWhere, opts, [...chain, inner.path]));
  }
  const text = config.formatText(word.text, where, opts);
  return text === '' ? [] : [text];
}
