import { SiteError } from '../site-error.js';

/**
 * Quoting for the HTCondor submit description language (condor_submit, "new syntax").
 *
 * - `arguments = "..."`: double quotes around the whole list, `""` for a literal `"`;
 *   whitespace separates arguments; an argument holding whitespace or `'` is wrapped in single
 *   quotes with `''` for a literal `'`; an empty argument is `''`.
 * - `environment = "..."`: the same rules, entries `NAME=value`.
 * - `$` starts a submit macro (`$(NAME)`, `$$(attr)`) anywhere in a value, so every literal
 *   `$` is written `$(DOLLAR)`.
 * - Values are single lines: there is no escape for a newline, so one is refused.
 */

const SPLIT = /[ \t]/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Throws when `value` cannot be written on one submit-file line. */
function checkOneLine(value: string, where: string): void {
  const bad = /[\n\r\0]/.exec(value);
  if (bad !== null) {
    const name = bad[0] === '\0' ? 'a NUL byte' : 'a line break';
    throw new SiteError(`${where}: value ${JSON.stringify(value)} contains ${name}, which an HTCondor submit description cannot carry`, {
      site: 'htcondor',
      hint: 'pass multi-line text through a file and give the job its path instead',
    });
  }
}

/** Writes every literal `$` as `$(DOLLAR)` so condor_submit does not expand it as a macro. */
export function escapeSubmitMacros(text: string): string {
  return text.replace(/\$/g, '$(DOLLAR)');
}

/** Undoes {@link escapeSubmitMacros} (what condor_submit does when it expands `$(DOLLAR)`). */
export function expandDollarMacros(text: string): string {
  return text.replace(/\$\(DOLLAR\)/g, '$');
}

/** One argument or environment entry, single-quoted when it must be. */
function quoteWord(word: string): string {
  if (word !== '' && !/[ \t']/.test(word)) return word;
  return `'${word.replace(/'/g, "''")}'`;
}

/**
 * The value of `arguments = ...` for an argument list, new syntax, including the outer
 * double quotes. `where` names the job and field for error messages.
 */
export function quoteSubmitArguments(args: readonly string[], where: string): string {
  for (const a of args) checkOneLine(a, where);
  const raw = args.map(quoteWord).join(' ');
  return `"${escapeSubmitMacros(raw).replace(/"/g, '""')}"`;
}

/** Splits the inside of a new-syntax value into words, honouring single quotes. */
function splitQuotedWords(inner: string, where: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (quoted) {
      if (c === "'" && inner[i + 1] === "'") {
        current += "'";
        i++;
      } else if (c === "'") {
        quoted = false;
      } else {
        current += c;
      }
    } else if (c === "'") {
      quoted = true;
      inWord = true;
    } else if (SPLIT.test(c)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (quoted) throw new SiteError(`${where}: unbalanced single quote in ${JSON.stringify(inner)}`, { site: 'htcondor', hint: "write a literal ' as '' inside a single-quoted section" });
  if (inWord) words.push(current);
  return words;
}

/** Removes the outer double quotes of a new-syntax value and turns `""` into `"`. */
function unwrapDoubleQuoted(value: string, where: string): string {
  const v = value.trim();
  if (v.length < 2 || !v.startsWith('"') || !v.endsWith('"')) {
    throw new SiteError(`${where}: ${JSON.stringify(value)} is not in the new syntax (double quotes around the whole value)`, { site: 'htcondor', hint: 'surround the whole value with double quotes' });
  }
  const inner = v.slice(1, -1);
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (c === '"') {
      if (inner[i + 1] !== '"') throw new SiteError(`${where}: lone double quote inside ${JSON.stringify(value)}`, { site: 'htcondor', hint: 'write a literal " as ""' });
      i++;
    }
    out += c;
  }
  return out;
}

/**
 * Parses a new-syntax `arguments` value (after macro expansion) back into the argument list,
 * as condor_submit and the starter do.
 */
export function parseSubmitArguments(value: string, where = 'arguments'): string[] {
  return splitQuotedWords(unwrapDoubleQuoted(value, where), where);
}

/** The value of `environment = ...`, new syntax, entries in the given order. */
export function quoteSubmitEnvironment(env: Readonly<Record<string, string>>, where: string): string {
  const words: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!ENV_NAME.test(name)) {
      throw new SiteError(`${where}: environment variable name ${JSON.stringify(name)} is not valid`, { site: 'htcondor', hint: 'use letters, digits and _ only, not starting with a digit' });
    }
    checkOneLine(value, `${where} ${name}`);
    words.push(`${name}=${quoteWord(value)}`);
  }
  return `"${escapeSubmitMacros(words.join(' ')).replace(/"/g, '""')}"`;
}

/** Parses a new-syntax `environment` value (after macro expansion) into name → value. */
export function parseSubmitEnvironment(value: string, where = 'environment'): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of splitQuotedWords(unwrapDoubleQuoted(value, where), where)) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new SiteError(`${where}: entry ${JSON.stringify(entry)} is not NAME=value`, { site: 'htcondor', hint: 'write each entry as NAME=value' });
    env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}

/**
 * A ClassAd string literal for `+attr = ...` lines and `SET_JOB_ATTR`: `"` escaped as `\"`,
 * `$` as `$(DOLLAR)`. Backslashes are refused: old- and new-ClassAd parsers read them
 * differently, so no spelling is safe.
 */
export function formatClassAdString(value: string, where: string): string {
  checkOneLine(value, where);
  if (value.includes('\\')) {
    throw new SiteError(`${where}: value ${JSON.stringify(value)} contains a backslash, which HTCondor ClassAd strings read inconsistently`, { site: 'htcondor', hint: 'use / instead of \\ in names and attribute values' });
  }
  return `"${escapeSubmitMacros(value).replace(/"/g, '\\"')}"`;
}

/** Quotes one word for `/bin/sh` (single quotes; `'` written as `'\''`). */
export function quoteShellWord(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
