import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/errors/index.js';
import { shellQuote, shellQuoteArgs } from '../../../src/sites/slurm/index.js';

const HOSTILE = [
  '',
  'plain',
  'two words',
  "it's",
  'say "hi"',
  '$(touch /tmp/bps-shell-quote-pwned)',
  '`touch /tmp/bps-shell-quote-pwned`',
  '${HOME} $HOME \\ \\\\',
  'a\nb\tc',
  "'; rm -rf / #",
  '*?[a-z]{1,2}~',
  '-n',
  'A=b',
  '!event',
  'ünïcødé ✓',
];

/** What a real bash reads back from the quoted words. */
function readBack(words: readonly string[]): string[] {
  const out = execFileSync('bash', ['-c', `for w in ${shellQuoteArgs(words)}; do printf '%s\\0' "$w"; done`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('shellQuote', () => {
  it('round-trips hostile strings through a real bash unchanged', () => {
    expect(readBack(HOSTILE)).toEqual(HOSTILE);
  });

  it('executes nothing embedded in a value', () => {
    const marker = `/tmp/bps-shell-quote-${process.pid}`;
    execFileSync('bash', ['-c', `echo ${shellQuote(`$(touch ${marker})`)} ${shellQuote(`\`touch ${marker}\``)} >/dev/null`]);
    expect(() => execFileSync('test', ['-e', marker])).toThrow();
  });

  it('leaves safe words bare and quotes a leading assignment-like word', () => {
    expect(shellQuote('/usr/bin/qg')).toBe('/usr/bin/qg');
    expect(shellQuote('A=b')).toBe("'A=b'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('')).toBe("''");
  });

  it('refuses NUL bytes with an InvalidInputError', () => {
    expect(() => shellQuote('a\0b')).toThrow(InvalidInputError);
  });
});
