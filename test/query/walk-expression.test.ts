import { describe, expect, it } from 'vitest';
import { findNode, foldExpression, listChildren, parseWhereClause, walkExpression } from '../../src/query/index.js';
import type { WhereExpression } from '../../src/query/index.js';

function parse(expression: string): WhereExpression {
  const tree = parseWhereClause(expression);
  if (tree === null) throw new Error('empty');
  return tree;
}

describe('walkExpression', () => {
  it('visits nodes in pre-order with their parents', () => {
    const seen: string[] = [];
    walkExpression(parse('a = 1 AND b IN (2, :c)'), (node, parent) => {
      seen.push(`${node.kind}<${parent?.kind ?? 'root'}`);
    });
    expect(seen).toEqual([
      'binary<root', 'binary<binary', 'identifier<binary', 'literal<binary',
      'in<binary', 'identifier<in', 'literal<in', 'bind<in',
    ]);
  });

  it('skips children on "skip" and ends on "stop"', () => {
    const skipped: string[] = [];
    walkExpression(parse('f(a) OR b'), (node) => {
      skipped.push(node.kind);
      return node.kind === 'call' ? 'skip' : undefined;
    });
    expect(skipped).toEqual(['binary', 'call', 'identifier']);
    let count = 0;
    walkExpression(parse('a AND b AND c'), () => {
      count += 1;
      return count === 2 ? 'stop' : undefined;
    });
    expect(count).toBe(2);
  });

  it('finds identifiers for the registry to resolve', () => {
    const names: string[] = [];
    walkExpression(parse("visit.day_obs > 20200101 AND glob(group, 'a*') AND x IN (y)"), (node) => {
      if (node.kind === 'identifier') names.push(node.name);
    });
    expect(names).toEqual(['visit.day_obs', 'group', 'x', 'y']);
  });
});

describe('foldExpression and listChildren', () => {
  it('evaluates bottom-up', () => {
    const value = foldExpression<number>(parse('1 + 2 * 3 - -4'), (node, kids) => {
      if (node.kind === 'literal' && node.type === 'number') return node.value;
      if (node.kind === 'binary') {
        const [l, r] = kids as [number, number];
        return node.op === '+' ? l + r : node.op === '-' ? l - r : l * r;
      }
      throw new Error(node.kind);
    });
    expect(value).toBe(11);
  });

  it('lists the value then the items of an IN node', () => {
    const tree = parse('x IN (1, 2)');
    expect(listChildren(tree).map((n) => n.kind)).toEqual(['identifier', 'literal', 'literal']);
  });

  it('handles a 20,000-term OR chain without recursion limits', () => {
    const expression = Array.from({ length: 20_000 }, (_, i) => `visit = ${i}`).join(' OR ');
    const tree = parse(expression);
    const leaves = foldExpression<number>(tree, (node, kids) => (kids.length === 0 ? 1 : kids.reduce((a, b) => a + b, 0)));
    expect(leaves).toBe(40_000);
    expect(findNode(tree, (node) => node.kind === 'literal' && node.type === 'number' && node.value === 19_999)).toMatchObject({
      end: expression.length,
    });
  });
});
