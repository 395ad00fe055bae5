import { describe, expect, it } from 'vitest';
import { WhereClauseError, parseWhereClause, validateWhereClause } from '../../src/query/index.js';

function validate(expression: string): void {
  const tree = parseWhereClause(expression);
  if (tree !== null) validateWhereClause(tree, expression);
}

describe('validateWhereClause', () => {
  it.each([
    "instrument = 'HSC' AND visit IN (1..10:2)",
    'visit.region OVERLAPS CIRCLE(1, 2, 0.5)',
    "GLOB(group, 'a*') OR NOT flag",
    ':condition',
    "id IN (UUID('e15ab039-bc8b-4135-87c5-90902a7c0b22'))",
    '(a = 1) = (b = 2)',
  ])('accepts %s', (expression) => {
    expect(() => validate(expression)).not.toThrow();
  });

  it.each([
    ['10..20', 0, /range 10\.\.20 is only allowed inside IN/],
    ['visit = 1..5', 8, /range 1\.\.5 is only allowed inside IN/],
    ['1..2 IN (1)', 0, /range 1\.\.2 is only allowed inside IN/],
    ['cirle(1, 2, 3) OVERLAPS r', 0, /Unknown function "cirle" in where-clause at position 0\. Did you mean "CIRCLE"\?/],
    ['a = 1 AND f(x)', 10, /Unknown function "f"/],
    ['1', 0, /expected a condition such as visit = 1, found number 1/],
    ["'string'", 0, /expected a condition .* found string 'string'/],
    ['a = 1 AND 2', 10, /expected a condition .* found number 2/],
    ['NOT (a + 1)', 5, /found an arithmetic expression/],
    ['(a, b)', 0, /found a tuple/],
  ])('rejects %s at offset %i', (expression, offset, message) => {
    try {
      validate(expression);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(WhereClauseError);
      expect((error as WhereClauseError).offset).toBe(offset);
      expect((error as WhereClauseError).message).toMatch(message);
    }
  });

  it('lists the known functions when no name is close', () => {
    try {
      validate('zzzzzz(1)');
      expect.unreachable();
    } catch (error) {
      expect((error as WhereClauseError).hint).toBe('known function names: POINT, CIRCLE, BOX, POLYGON, REGION, GLOB, UUID');
    }
  });
});
