import { describe, expect, it } from 'vitest';
import { WhereClauseError, formatExpression, parseWhereClause } from '../../src/query/index.js';
import type { InNode, WhereExpression } from '../../src/query/index.js';

const shape = (expression: string): string => formatExpression(parseWhereClause(expression));

function parse(expression: string): WhereExpression {
  const tree = parseWhereClause(expression);
  if (tree === null) throw new Error(`no tree for ${expression}`);
  return tree;
}

describe('parseWhereClause: empty input', () => {
  it.each(['', '   ', '\t\n  \r\n'])('returns null for blank expression %j', (text) => {
    expect(parseWhereClause(text)).toBeNull();
  });
});

describe('parseWhereClause: precedence and associativity', () => {
  it.each([
    ['a OR b AND c', 'a OR (b AND c)'],
    ['a AND b OR c', '(a AND b) OR c'],
    ['a OR b OR c', '(a OR b) OR c'],
    ['a AND b AND c', '(a AND b) AND c'],
    ['NOT a AND b', '(NOT a) AND b'],
    ['NOT a OR NOT b', '(NOT a) OR (NOT b)'],
    ['NOT a = 1', 'NOT (a = 1)'],
    ['NOT NOT a', 'NOT (NOT a)'],
    ['a = 1 AND b = 2', '(a = 1) AND (b = 2)'],
    ['a + b * c', 'a + (b * c)'],
    ['a * b + c', '(a * b) + c'],
    ['a - b - c', '(a - b) - c'],
    ['a / b / c', '(a / b) / c'],
    ['a % b * c', '(a % b) * c'],
    ['-a * b', '(-a) * b'],
    ['- - a', '-(-a)'],
    ['a + b = c * d', '(a + b) = (c * d)'],
    ['a + 1 IN (1, 2)', '(a + 1) IN (1, 2)'],
    ['a = b IN (1)', 'a = (b IN (1))'],
    ['NOT a IN (1)', 'NOT (a IN (1))'],
    ['x + y OVERLAPS r', '(x + y) OVERLAPS r'],
    ['a OVERLAPS b AND c OVERLAPS d', '(a OVERLAPS b) AND (c OVERLAPS d)'],
    ['(a OR b) AND c', '(a OR b) AND c'],
    ['((a))', 'a'],
    ['2 - -3', '2 - -3'],
    ['2 * -x', '2 * (-x)'],
  ])('reads %s as %s', (input, expected) => {
    expect(shape(input)).toBe(expected);
  });

  it('treats keywords case-insensitively', () => {
    expect(shape('a and b Or not c')).toBe('(a AND b) OR (NOT c)');
    expect(shape('x overlaps y')).toBe('x OVERLAPS y');
    expect(shape('v NoT iN (1)')).toBe('v NOT IN (1)');
  });

  it('rejects chained comparisons instead of comparing a boolean', () => {
    expect(() => parse('a < b < c')).toThrow(/comparisons cannot be chained/);
    expect(shape('(a < b) = c')).toBe('(a < b) = c');
  });
});

describe('parseWhereClause: nodes and spans', () => {
  it('builds a binary node with keyword ops in upper case and source offsets', () => {
    const tree = parse("instrument = 'HSC' and visit > 10");
    expect(tree).toMatchObject({
      kind: 'binary',
      op: 'AND',
      start: 0,
      end: 33,
      left: {
        kind: 'binary',
        op: '=',
        left: { kind: 'identifier', parts: ['instrument'], name: 'instrument', start: 0, end: 10 },
        right: { kind: 'literal', type: 'string', value: 'HSC', start: 13, end: 18 },
      },
      right: { kind: 'binary', op: '>', right: { kind: 'literal', type: 'number', value: 10, integer: true } },
    });
  });

  it('splits qualified identifiers into parts', () => {
    expect(parse('visit.timespan.begin')).toMatchObject({ kind: 'identifier', parts: ['visit', 'timespan', 'begin'] });
    expect(parse('a.in')).toMatchObject({ kind: 'identifier', parts: ['a', 'in'] });
  });

  it('reads numbers in every accepted form', () => {
    const cases: [string, number, boolean][] = [
      ['0', 0, true], ['999.', 999, false], ['100.1', 100.1, false], ['1e10', 1e10, false],
      ['1E-10', 1e-10, false], ['1.e+20', 1e20, false], ['.2E5', 20000, false], ['-5', -5, true],
      ['- 5', -5, true], ['+7', 7, true],
    ];
    for (const [text, value, integer] of cases) {
      expect(parse(text)).toMatchObject({ kind: 'literal', type: 'number', value, integer, start: 0, end: text.length });
    }
  });

  it('folds the sign into the number text', () => {
    expect(parse('- 5')).toMatchObject({ text: '-5' });
  });

  it('keeps a sign before a non-number as a unary node', () => {
    expect(parse('- x.y')).toMatchObject({ kind: 'unary', op: '-', operand: { kind: 'identifier', name: 'x.y' }, start: 0, end: 5 });
  });

  it('reads bind names without the colon, keywords allowed', () => {
    expect(parse(':in')).toEqual({ kind: 'bind', name: 'in', start: 0, end: 3 });
    expect(parse('a <= :b')).toMatchObject({ right: { kind: 'bind', name: 'b', start: 5, end: 7 } });
  });

  it('reads strings verbatim, including empty ones and double quotes inside', () => {
    expect(parse("''")).toMatchObject({ type: 'string', value: '' });
    expect(parse(`'say "hi"'`)).toMatchObject({ type: 'string', value: 'say "hi"' });
  });

  it('reads a 2-tuple with its span including the parentheses', () => {
    const tree = parse("(T'2020-01-01', :end) OVERLAPS visit.timespan");
    expect(tree).toMatchObject({
      kind: 'binary',
      op: 'OVERLAPS',
      left: { kind: 'tuple', start: 0, end: 21, items: [{ kind: 'literal', type: 'time' }, { kind: 'bind', name: 'end' }] },
    });
  });

  it('parses newlines as whitespace', () => {
    expect(shape("instrument = 'HSC'\n  AND visit = 1")).toBe("(instrument = 'HSC') AND (visit = 1)");
  });
});

describe('parseWhereClause: IN lists', () => {
  it('accepts literals, simple identifiers, binds, ranges with strides and UUIDs', () => {
    const tree = parse("x NOT IN (1, -2, 'a', T'2020-01-01', c, :b, 10..20, -5..-1:2, UUID('E15AB039BC8B413587C590902A7C0B22'))") as InNode;
    expect(tree.kind).toBe('in');
    expect(tree.negated).toBe(true);
    expect(tree.items.map((item) => item.kind === 'literal' ? item.type : item.kind)).toEqual([
      'number', 'number', 'string', 'time', 'identifier', 'bind', 'range', 'range', 'uuid',
    ]);
    expect(tree.items[6]).toMatchObject({ first: 10, last: 20, stride: null });
    expect(tree.items[7]).toMatchObject({ first: -5, last: -1, stride: 2 });
    expect(tree.items[8]).toMatchObject({ value: 'e15ab039-bc8b-4135-87c5-90902a7c0b22' });
  });

  it('reads ranges with spaces around the dots and the stride colon', () => {
    const tree = parse('visit IN (0 .. 10 : 2)') as InNode;
    expect(tree.items[0]).toEqual({ kind: 'range', first: 0, last: 10, stride: 2, start: 10, end: 21 });
  });

  it('gives the range span from its sign to its stride', () => {
    expect(parse('-10 .. 10:5')).toEqual({ kind: 'range', first: -10, last: 10, stride: 5, start: 0, end: 11 });
  });

  it.each([
    ['visit IN ()', /IN list is empty/],
    ['visit IN (1..)', /expected an integer after '\.\.'/],
    ['visit IN (1.5..3)', /range bounds must be integers/],
    ['visit IN (1..2.5)', /expected an integer after '\.\.'/],
    ['visit IN (5..1)', /range 5\.\.1 is empty/],
    ['visit IN (1..5:0)', /stride must be a positive integer/],
    ['visit IN (a.b)', /cannot hold qualified identifiers/],
    ['visit IN ((1))', /cannot be parenthesised/],
    ['visit IN (f(1))', /IN lists cannot hold a call to f\(\)/],
    ['visit IN (POINT(1, 2))', /IN lists cannot hold a call to POINT\(\)/],
    ['visit IN (1 2)', /expected ',' or '\)' in IN list/],
    ['visit IN (1, )', /expected a value in IN list/],
    ['visit IN 1', /expected '\(' after 'IN'/],
    ['visit NOT 1', /expected IN after NOT/],
    ['visit IN (1, 2', /'\(' at position 9 is never closed/],
  ])('rejects %s', (input, message) => {
    expect(() => parse(input)).toThrow(WhereClauseError);
    expect(() => parse(input)).toThrow(message);
  });
});

describe('parseWhereClause: rejections with specific messages', () => {
  it.each([
    ['(a = 1', /unbalanced parentheses: '\(' at position 0 is never closed/],
    ['a = 1)', /unbalanced parentheses: '\)' has no matching '\('/],
    ['((a = 1) AND b', /'\(' at position 0 is never closed/],
    ['()', /empty parentheses/],
    ['a..b', /'\.\.' must have integer literals on both sides/],
    ['..5', /expected a value, found '\.\.'/],
    ['1...2', /range bounds must be integers|expected an integer/],
    ['a = 1, b = 2', /unexpected ',' outside parentheses/],
    ['a b', /expected an operator .* after identifier 'a', found identifier 'b'/],
    ['a = NOT b', /expected a value after '=', found 'NOT'/],
    ['f(a,)', /expected an argument after ','/],
    ['f(a b)', /expected ',' or '\)' to close '\(' at position 1/],
    ['a = 1e999', /number 1e999 is too large/],
    ["instrument = 'HSC", /string literal is not closed/],
    ["'a\nb'", /cannot span lines/],
    ['a & b', /unexpected character '&'/],
    ['a ! b', /unexpected character '!'/],
    ['(1, 2, 3)', /tuples have exactly two items/],
    ['a.b(1)', /function names cannot contain '\.'/],
    [':a.b', /bind name ':a' cannot contain '\.'/],
    ['1..2:x', /stride must be a positive integer/],
  ])('rejects %j', (input, message) => {
    expect(() => parseWhereClause(input)).toThrow(WhereClauseError);
    expect(() => parseWhereClause(input)).toThrow(message);
  });
});
