import { describe, expect, it } from 'vitest';
import { WhereClauseError, buildUnknownNameError, parseWhereClause, suggestClosest } from '../../src/query/index.js';

const DIMENSIONS = ['instrument', 'visit', 'exposure', 'detector', 'physical_filter', 'band', 'tract', 'patch', 'skymap'];

describe('suggestClosest', () => {
  it.each([
    ['vist', 'visit'],
    ['VISIT', 'visit'],
    ['detcetor', 'detector'],
    ['exposre', 'exposure'],
    ['instrumnet', 'instrument'],
    ['bnad', 'band'],
    ['pach', 'patch'],
    ['physical_fliter', 'physical_filter'],
  ])('suggests %s → %s', (name, expected) => {
    expect(suggestClosest(name, DIMENSIONS)).toBe(expected);
  });

  it.each(['x', 'zzzz', 'calibration', 'trackt_id'])('suggests nothing for %s', (name) => {
    expect(suggestClosest(name, DIMENSIONS)).toBeUndefined();
  });

  it('prefers the earlier candidate on ties and honours maxDistance', () => {
    expect(suggestClosest('cat', ['bat', 'hat'])).toBe('bat');
    expect(suggestClosest('visit', ['vsiti'], { maxDistance: 1 })).toBeUndefined();
    expect(suggestClosest('visit', ['vsiti'], { maxDistance: 2 })).toBe('vsiti');
  });

  it('returns undefined for no candidates', () => {
    expect(suggestClosest('visit', [])).toBeUndefined();
  });
});

describe('buildUnknownNameError', () => {
  it('builds the "Did you mean" error underlining the identifier', () => {
    const expression = "instrument = 'HSC' AND vist = 12";
    const tree = parseWhereClause(expression);
    const node = tree?.kind === 'binary' && tree.right.kind === 'binary' ? tree.right.left : undefined;
    if (node === undefined) throw new Error('unexpected tree');
    const error = buildUnknownNameError({ node, expression, candidates: DIMENSIONS });
    expect(error).toBeInstanceOf(WhereClauseError);
    expect(error.offset).toBe(23);
    expect(error.message).toBe(
      'Unknown dimension "vist" in where-clause at position 23. Did you mean "visit"?\n' +
        "  instrument = 'HSC' AND vist = 12\n" +
        '                         ^^^^',
    );
    expect(error.hint).toBe('replace "vist" with "visit"');
  });

  it('lists known names when nothing is close, with a custom kind', () => {
    const expression = 'visit.zzz = 1';
    const error = buildUnknownNameError({
      node: { start: 0, end: 9 },
      expression,
      candidates: ['day_obs', 'seq_num'],
      kind: 'column',
    });
    expect(error.reason).toBe('Unknown column "visit.zzz" in where-clause at position 0');
    expect(error.hint).toBe('known column names: day_obs, seq_num');
  });

  it('uses the bind name of a bind node', () => {
    const expression = 'visit IN (:vists)';
    const error = buildUnknownNameError({
      node: { kind: 'bind', name: 'vists', start: 10, end: 16 },
      expression,
      candidates: ['visits'],
      kind: 'bind name',
    });
    expect(error.reason).toBe('Unknown bind name "vists" in where-clause at position 10. Did you mean "visits"?');
  });
});
