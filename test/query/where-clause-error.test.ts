import { describe, expect, it } from 'vitest';
import { BpsError, ExitCode } from '../../src/errors/index.js';
import { WhereClauseError, parseWhereClause } from '../../src/query/index.js';

function errorOf(expression: string): WhereClauseError {
  try {
    parseWhereClause(expression);
  } catch (error) {
    if (error instanceof WhereClauseError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(expression)} to be rejected`);
}

describe('WhereClauseError', () => {
  it('is a BpsError with the expression exit code and context fields', () => {
    const error = errorOf('instrument =');
    expect(error).toBeInstanceOf(BpsError);
    expect(error.exitCode).toBe(ExitCode.expression);
    expect(error.code).toBe('WHERE_CLAUSE');
    expect(error.name).toBe('WhereClauseError');
    expect(error.expression).toBe('instrument =');
    expect(error.offset).toBe(12);
  });

  it('says what was expected and draws a caret under the end of the expression', () => {
    expect(errorOf('instrument =').message).toBe(
      "Syntax error in where-clause at position 12: expected a value after '=', found end of expression\n" +
        '  instrument =\n' +
        '              ^',
    );
  });

  it.each([
    ['a = 1 AND', 9, "expected a value after 'AND', found end of expression"],
    ['a = 1 AND AND b', 10, "expected a value after 'AND', found 'AND'"],
    ['visit IN (1, 2', 9, "unbalanced parentheses: '(' at position 9 is never closed"],
    ['visit = 1)', 9, "unbalanced parentheses: ')' has no matching '('"],
    ['a == 1', 3, "expected a value after '=', found '='"],
    ['a # b', 2, "unexpected character '#'"],
    ['a = 🙂', 4, "unexpected character '🙂'"],
    ['id.', 3, "expected a name after '.' in identifier 'id.'"],
    ['a.b.c.d', 5, "identifier 'a.b.c.d' has more than 3 parts"],
    [':1', 0, "expected a bind name after ':', found number 1"],
  ])('points %j at offset %i: %s', (expression, offset, detail) => {
    const error = errorOf(expression);
    expect(error.offset).toBe(offset);
    expect(error.reason).toBe(`Syntax error in where-clause at position ${offset}: ${detail}`);
    const caretLine = error.message.split('\n')[2] ?? '';
    expect(caretLine.indexOf('^')).toBe(2 + offset);
  });

  it('suggests a single = for ==', () => {
    expect(errorOf('a == 1').hint).toBe("use a single '=' to compare");
  });

  it('underlines a double-quoted string and says string literals use single quotes', () => {
    const error = errorOf('instrument = "HSC" AND visit = 1');
    expect(error.offset).toBe(13);
    expect(error.reason).toBe('Syntax error in where-clause at position 13: double quotes are not allowed, found "HSC"');
    expect(error.message.split('\n')[2]).toBe('               ^^^^^');
    expect(error.hint).toMatch(/string literals use single quotes, e.g. instrument = 'HSC'/);
  });

  it('gives the double-quote hint for an unclosed double quote too', () => {
    expect(errorOf('band = "g').hint).toMatch(/single quotes/);
  });

  it('shows line and column and only the offending line for multi-line expressions', () => {
    const error = errorOf("instrument = 'HSC'\n  AND visit = = 3");
    expect(error.offset).toBe(33);
    expect(error.reason).toMatch(/^Syntax error in where-clause at position 33 \(line 2, column 15\): /);
    expect(error.message.split('\n').slice(1)).toEqual(['    AND visit = = 3', '                ^']);
  });

  it('keeps tabs in the caret line so the caret lines up', () => {
    const error = errorOf('\ta =');
    expect(error.message.split('\n').slice(1)).toEqual(['  \ta =', '  \t   ^']);
  });

  it('cuts very long lines around the offending position', () => {
    const expression = `${'visit = 1 AND '.repeat(20)}visit = = 2 AND ${'band = 1 AND '.repeat(20)}x = 1`;
    const error = errorOf(expression);
    const [, shown, caret] = error.message.split('\n') as [string, string, string];
    expect(shown.length).toBeLessThan(120);
    expect(shown).toMatch(/^ {2}\.\.\..*\.\.\.$/);
    expect(shown[caret.indexOf('^')]).toBe('=');
  });

  it('can be built directly for later stages, clamping the offset', () => {
    const error = new WhereClauseError('Column "x" has the wrong type', { expression: 'x = 1', offset: 99, hint: 'cast it' });
    expect(error.offset).toBe(5);
    expect(error.message).toBe('Column "x" has the wrong type\n  x = 1\n       ^');
    expect(error.hint).toBe('cast it');
  });
});
