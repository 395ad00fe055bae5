import { describe, expect, it } from 'vitest';
import {
  MAX_NESTING,
  WhereClauseError,
  formatExpression,
  parseWhereClause,
  validateWhereClause,
  walkExpression,
} from '../../src/query/index.js';
import type { WhereExpression } from '../../src/query/index.js';

/** mulberry32: small deterministic PRNG so failures reproduce. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GRAMMAR_TOKENS = [
  'AND', 'and', 'Or', 'OR', 'NOT', 'not', 'IN', 'in', 'OVERLAPS', 'overlaps',
  '=', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', '(', ')', ',', '..', ':',
  'visit', 'a', 'T', 'visit.day_obs', 'visit.timespan.begin', 'x.y', ':bind', ':in',
  '0', '1', '42', '-7', '1.5', '.5e-2', '1e10', '3.', "'HSC'", "''", "'a b'",
  "T'2020-01-01'", "T'2020-01-01T12:00:00'", "T'58938.515'", "T'mjd/58938.515/tai'", "T'bad'",
  "T'2020:001:12:00:00'", 'POINT', 'CIRCLE', 'BOX', 'POLYGON', 'REGION', 'GLOB', 'UUID', 'f',
  "UUID('e15ab039-bc8b-4135-87c5-90902a7c0b22')", '1..10', '1..10:2', '10..1',
];
const JUNK = ['"', '#', '&', '|', '!', '.', '\n', '\t', 'é', "'", "T'", '[', ';', '\u0000', '🙂', '\\', '?', '@', '$', '^', '~', '`', '{'];

function randomTokenSoup(random: () => number): string {
  const count = 1 + Math.floor(random() * 30);
  let text = '';
  for (let i = 0; i < count; i += 1) {
    const pool = random() < 0.1 ? JUNK : GRAMMAR_TOKENS;
    text += pool[Math.floor(random() * pool.length)] as string;
    text += random() < 0.8 ? ' ' : '';
  }
  return text;
}

/** A random expression the grammar accepts (the tokens above, assembled by the rules). */
function randomValidExpression(random: () => number, depth = 0): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const leaf = (): string => pick(['visit', 'x.y', ':b', '42', '-3', '1.5', "'s'", "T'2020-01-01'", "UUID('e15ab039-bc8b-4135-87c5-90902a7c0b22')"]);
  if (depth > 4 || random() < 0.25) return leaf();
  const sub = (): string => randomValidExpression(random, depth + 1);
  switch (Math.floor(random() * 9)) {
    case 0:
      return `${sub()} ${pick(['AND', 'or'])} ${sub()}`;
    case 1:
      return `NOT ${sub()}`;
    case 2:
      return `(${sub()}) ${pick(['=', '!=', '<', '>=', 'OVERLAPS'])} (${sub()})`;
    case 3:
      return `(${sub()}) ${pick(['+', '-', '*', '/', '%'])} (${sub()})`;
    case 4:
      return `(${sub()}) ${pick(['IN', 'not in'])} (${pick(['1', "'a'", ':l', 'c', '-5..5', '0..100:7'])}, 2)`;
    case 5:
      return `(${sub()}, ${sub()})`;
    case 6:
      return `CIRCLE(${pick(['ra', '1'])}, -${pick(['dec', '2'])}, 0.5 * :r)`;
    case 7:
      return `f(${sub()}, ${sub()})`;
    default:
      return `(${sub()})`;
  }
}

function assertSpans(tree: WhereExpression, length: number): void {
  walkExpression(tree, (node, parent) => {
    expect(node.start).toBeGreaterThanOrEqual(0);
    expect(node.end).toBeLessThanOrEqual(length);
    expect(node.start).toBeLessThan(node.end);
    if (parent !== null) {
      expect(node.start).toBeGreaterThanOrEqual(parent.start);
      expect(node.end).toBeLessThanOrEqual(parent.end);
    }
  });
}

/** Parses; returns the tree or null, fails the test on anything but a WhereClauseError. */
function parseOrReject(text: string): WhereExpression | null | 'rejected' {
  try {
    return parseWhereClause(text);
  } catch (error) {
    if (!(error instanceof WhereClauseError)) throw new Error(`non-WhereClauseError for ${JSON.stringify(text)}: ${String(error)}`);
    expect(error.offset).toBeGreaterThanOrEqual(0);
    expect(error.offset).toBeLessThanOrEqual(text.length);
    return 'rejected';
  }
}

describe('parser fuzzing', () => {
  it('returns a tree or throws WhereClauseError for 5,000 random token sequences', () => {
    const random = createRandom(20_240_601);
    let parsed = 0;
    let rejected = 0;
    for (let i = 0; i < 5_000; i += 1) {
      const text = randomTokenSoup(random);
      const result = parseOrReject(text);
      if (result === 'rejected') {
        rejected += 1;
        continue;
      }
      parsed += 1;
      if (result === null) continue;
      assertSpans(result, text.length);
      const printed = formatExpression(result);
      expect(formatExpression(parseWhereClause(printed)), `round trip of ${JSON.stringify(text)}`).toBe(printed);
      try {
        validateWhereClause(result, text);
      } catch (error) {
        expect(error).toBeInstanceOf(WhereClauseError);
      }
    }
    // Both outcomes must actually occur, or the generator is not exercising the parser.
    expect(parsed).toBeGreaterThan(50);
    expect(rejected).toBeGreaterThan(2_500);
  }, 30_000);

  it('parses 2,000 random grammatical expressions and prints them back to the same tree', () => {
    const random = createRandom(7);
    for (let i = 0; i < 2_000; i += 1) {
      const text = randomValidExpression(random);
      let tree: WhereExpression | null = null;
      try {
        tree = parseWhereClause(text);
      } catch (error) {
        throw new Error(`${JSON.stringify(text)}: ${String(error)}`);
      }
      expect(tree, text).not.toBeNull();
      if (tree === null) continue;
      assertSpans(tree, text.length);
      const printed = formatExpression(tree);
      const reparsed = parseWhereClause(printed);
      expect(formatExpression(reparsed), text).toBe(printed);
      expect(stripSpans(reparsed), text).toEqual(stripSpans(tree));
    }
  }, 30_000);
});

function stripSpans(tree: WhereExpression | null): unknown {
  return JSON.parse(JSON.stringify(tree, (key, value: unknown) => (key === 'start' || key === 'end' ? undefined : value)));
}

describe('pathological input', () => {
  it.each([
    ['5,000 opening parentheses', '('.repeat(5_000)],
    ['5,000 balanced parentheses', `${'('.repeat(5_000)}a${')'.repeat(5_000)}`],
    ['5,000 NOTs', `${'NOT '.repeat(5_000)}a`],
    ['5,000 unary minuses', `${'- '.repeat(5_000)}a`],
    ['5,000 nested calls', `${'f('.repeat(5_000)}1${')'.repeat(5_000)}`],
    ['5,000 nested tuples', `${'(a, '.repeat(5_000)}b${')'.repeat(5_000)}`],
  ])('rejects %s with WhereClauseError, not a stack overflow', (_name, text) => {
    expect(() => parseWhereClause(text)).toThrow(WhereClauseError);
    expect(() => parseWhereClause(text)).toThrow(`nested more than ${MAX_NESTING} levels`);
  });

  it('accepts nesting just under the limit', () => {
    const depth = MAX_NESTING - 1;
    const tree = parseWhereClause(`${'('.repeat(depth)}a = 1${')'.repeat(depth)}`);
    expect(formatExpression(tree)).toBe('a = 1');
  });

  it('parses a 100,000-character IN list quickly enough to finish the test', () => {
    const text = `visit IN (${Array.from({ length: 15_000 }, (_, i) => i).join(', ')})`;
    const tree = parseWhereClause(text);
    expect(tree?.kind === 'in' ? tree.items.length : 0).toBe(15_000);
  });
});
