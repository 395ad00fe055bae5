import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WhereClauseError, formatExpression, parseWhereClause } from '../../src/query/index.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpusFile = path.resolve(projectRoot, '../shared/corpus/where_cases.txt');

interface Case {
  line: number;
  expected: 'OK' | 'ERR';
  expression: string;
}

function readCases(): Case[] {
  if (!existsSync(corpusFile)) return [];
  const text = readFileSync(corpusFile, 'utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((raw, index) => {
    const tab = raw.indexOf('\t');
    const expected = raw.slice(0, tab);
    if (tab < 0 || (expected !== 'OK' && expected !== 'ERR')) throw new Error(`bad corpus line ${index + 1}: ${raw}`);
    return { line: index + 1, expected, expression: raw.slice(tab + 1) };
  });
}

const cases = readCases();

describe('where_cases.txt corpus', () => {
  it('exists and holds exactly 117 cases, the first being the empty expression', () => {
    expect(existsSync(corpusFile), `missing ${corpusFile}`).toBe(true);
    expect(cases).toHaveLength(117);
    expect(cases[0]).toEqual({ line: 1, expected: 'OK', expression: '' });
  });

  it.each(cases.filter((c) => c.expected === 'OK'))('parses line $line: $expression', ({ expression }) => {
    const tree = parseWhereClause(expression);
    if (expression.trim() === '') {
      expect(tree).toBeNull();
      return;
    }
    expect(tree).not.toBeNull();
    // The printed form must parse back to the same printed form.
    const printed = formatExpression(tree);
    expect(formatExpression(parseWhereClause(printed))).toBe(printed);
  });

  it.each(cases.filter((c) => c.expected === 'ERR'))('rejects line $line: $expression', ({ expression }) => {
    expect(() => parseWhereClause(expression)).toThrow(WhereClauseError);
  });
});
