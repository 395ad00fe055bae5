import { describe, expect, it } from 'vitest';
import { WhereClauseError, parseWhereClause } from '../../src/query/index.js';

describe('parseWhereClause: functions', () => {
  it.each([
    ['POINT(Object.ra, 0.0)', 'POINT', 2],
    ['point(ra, :dec)', 'POINT', 2],
    ['Circle(0.5 + 0.1, -1 * :bind_name, 1 / 10)', 'CIRCLE', 3],
    ['box(ra, :dec, 1.5, 10)', 'BOX', 4],
    ['Polygon(ra, :dec, 0, 0, 180, 0)', 'POLYGON', 6],
    ['POLYGON(0, 0, 1, 0, 1, 1, 0, 1)', 'POLYGON', 8],
    ["region('CIRCLE 0 0 1.')", 'REGION', 1],
    ['REGION(:pos)', 'REGION', 1],
    ["glob(group, 'prefix#*')", 'GLOB', 2],
    ['glob((instrument.name), (:pattern))', 'GLOB', 2],
    ['CIRCLE((ra), -(dec), 2 * (1 + :r))', 'CIRCLE', 3],
  ])('accepts %s as a %s call with %i arguments', (text, fn, arity) => {
    const tree = parseWhereClause(text);
    expect(tree).toMatchObject({ kind: 'call', function: fn, start: 0, end: text.length });
    expect(tree?.kind === 'call' ? tree.args : []).toHaveLength(arity);
  });

  it('keeps the name as written and strips parentheses around GLOB arguments', () => {
    expect(parseWhereClause('glob((instrument.name), (:pattern))')).toMatchObject({
      name: 'glob',
      args: [{ kind: 'identifier', name: 'instrument.name' }, { kind: 'bind', name: 'pattern' }],
    });
  });

  it('keeps unknown functions as calls without a known function', () => {
    expect(parseWhereClause('f2(:a, :b)')).toMatchObject({ kind: 'call', name: 'f2', function: null, args: [{ kind: 'bind' }, { kind: 'bind' }] });
    expect(parseWhereClause('f()')).toMatchObject({ kind: 'call', name: 'f', function: null, args: [] });
  });

  it('turns UUID() into a normalised uuid literal', () => {
    for (const text of [
      "UUID('E15AB039-BC8B-4135-87C5-90902A7C0B22')",
      "uuid('{e15ab039bc8b413587c590902a7c0b22}')",
      "UUID('urn:uuid:e15ab039-bc8b-4135-87c5-90902a7c0b22')",
    ]) {
      expect(parseWhereClause(text)).toEqual({
        kind: 'literal', type: 'uuid', value: 'e15ab039-bc8b-4135-87c5-90902a7c0b22', start: 0, end: text.length,
      });
    }
  });

  it.each([
    ['POINT()', /POINT takes 2 arguments \(ra, dec\), got 0/],
    ['POINT(1)', /POINT takes 2 arguments \(ra, dec\), got 1/],
    ['POINT(1, 2, 3)', /POINT takes 2 arguments \(ra, dec\), got 3/],
    ["POINT('a', 1)", /argument 1 \(ra\) must be a number/],
    ['Circle()', /CIRCLE takes 3 arguments \(ra, dec, radius\), got 0/],
    ['Circle(0., 0.)', /CIRCLE takes 3 arguments .* got 2/],
    ['Circle(0., 0., 0., 0.)', /CIRCLE takes 3 arguments .* got 4/],
    ["Circle('1', 1, 1)", /argument 1 \(ra\) must be a number.* found string '1'/],
    ["CIRCLE(1, 1, T'2020-01-01')", /argument 3 \(radius\) must be a number.* found time/],
    ['CIRCLE(1, a = b, 1)', /argument 2 \(dec\) must be a number.* found a comparison/],
    ["CIRCLE(1, 1 + 'x', 1)", /argument 2 \(dec\) must be a number.* found string 'x' inside it/],
    ['box()', /BOX takes 4 arguments \(ra, dec, width, height\), got 0/],
    ['box(0., 0.)', /BOX takes 4 arguments .* got 2/],
    ['box(0., 0., 0., 0., 1)', /BOX takes 4 arguments .* got 5/],
    ['box(:a IN (100), 1, 1, 1)', /argument 1 \(ra\) must be a number.* found an IN expression/],
    ['box(f(1), 1, 1, 1)', /found a call to f\(\)/],
    ['POLYGON()', /POLYGON takes an even number of arguments, at least 6 .* got 0/],
    ['POLYGON(0., 0., 1., 1.)', /got 4/],
    ['polygon(0, 0, 1, 0, 1, 1, 2)', /got 7/],
    ['Polygon(:a IN (100), 1, 1, 1, 2, 2)', /argument 1 must be a number/],
    ['REGION()', /REGION takes 1 argument .* got 0/],
    ["REGION('CIRCLE', '0 1 1')", /REGION takes 1 argument .* got 2/],
    ['region(a = b)', /REGION argument must be a string, a bind name or an identifier, found a comparison/],
    ['region(1)', /found number 1/],
    ['GLOB(group)', /GLOB takes 2 arguments \(column, pattern\), got 1/],
    ["glob('string', '*')", /GLOB first argument must be an identifier .* found string 'string'/],
    ['glob(group, id)', /GLOB second argument must be a string or a bind name .* found identifier 'id'/],
    ['UUID()', /UUID takes 1 argument .* got 0/],
    ["UUID('a', 'b')", /UUID takes 1 argument .* got 2/],
    ['UUID(:id)', /UUID argument must be a string literal, found bind name ':id'/],
    ["UUID('not-a-uuid')", /'not-a-uuid' is not a valid UUID/],
  ])('rejects %s', (text, message) => {
    expect(() => parseWhereClause(text)).toThrow(WhereClauseError);
    expect(() => parseWhereClause(text)).toThrow(message);
  });

  it('underlines the offending argument and suggests an example', () => {
    try {
      parseWhereClause("x OVERLAPS CIRCLE(1, 'two', 3)");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(WhereClauseError);
      const e = error as WhereClauseError;
      expect(e.offset).toBe(21);
      expect(e.message).toBe(
        'Invalid call to CIRCLE in where-clause at position 21: argument 2 (dec) must be a number, an identifier, ' +
          "a bind name or arithmetic on those, found string 'two'\n" +
          "  x OVERLAPS CIRCLE(1, 'two', 3)\n" +
          '                       ^^^^^',
      );
      expect(e.hint).toBe('for example CIRCLE(150.1, 2.2, 0.5)');
    }
  });
});
