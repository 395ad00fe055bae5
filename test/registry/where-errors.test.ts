import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors/index.js';
import { WhereClauseError } from '../../src/query/index.js';
import type { BindValues, Registry } from '../../src/registry/index.js';
import { backends, useRegistry } from '../support/backends.js';
import { populateWhereUniverse } from '../support/populate.js';

describe.each(backends)('where-clause errors on $name', ({ make }) => {
  let registry: Registry;
  useRegistry(make, populateWhereUniverse, (r) => (registry = r));

  async function failure(where: string, options: { dimensions?: string[]; bind?: BindValues } = {}): Promise<WhereClauseError> {
    const err = await registry.queryDataIds({ dimensions: options.dimensions ?? ['visit'], where, ...(options.bind ? { bind: options.bind } : {}) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WhereClauseError);
    return err as WhereClauseError;
  }

  it('suggests the closest dimension, field or bind name for unknown identifiers', async () => {
    const err = await failure("vist = 1 AND band = 'r'");
    expect(err.message).toContain('Unknown dimension "vist" in where-clause at position 0. Did you mean "visit"?');
    expect(err.message).toContain("  vist = 1 AND band = 'r'\n  ^^^^");
    expect(err.exitCode).toBe(ExitCode.expression);
    expect((await failure('visit.exposre_time > 1')).message).toContain('Did you mean "visit.exposure_time"?');
    expect((await failure('vsit.exposure_time > 1')).message).toContain('Unknown dimension element "vsit"');
    expect((await failure('visit IN (:vists)', { bind: { visits: [1] } })).message).toContain('Did you mean "visits"?');
    const unbound = await failure('visit = :v');
    expect(unbound.message).toContain('Bind name ":v" in where-clause has no value');
    expect(unbound.hint).toContain('--bind v=');
    expect((await failure('full_name = 1')).message).toContain('fields called "full_name" belong to "detector.full_name"');
  });

  it('rejects comparisons between mismatched types and names both sides', async () => {
    const abc = await failure("visit = 'abc'");
    expect(abc.message).toContain("Cannot compare visit (integer) with string 'abc' (string) in where-clause at position 0");
    expect((await failure("visit = '12'")).hint).toContain('numbers are written without quotes, e.g. 12');
    expect((await failure('instrument = 12')).message).toContain('Cannot compare instrument (string) with number 12 (integer)');
    expect((await failure('visit.timespan.begin > 5')).message).toContain('(time) with number 5 (integer)');
    expect((await failure("band IN (1..3)")).message).toContain('needs an integer value on the left of IN');
    expect((await failure('visit IN (:v)', { bind: { v: ['1', 'x'] } })).message).toContain('Cannot compare visit (integer) with "x"');
    expect((await failure("GLOB(visit, '1*')")).message).toContain('GLOB needs a string field');
    expect((await failure("visit.timespan = T'2024-01-01'")).message).toContain('Timespans cannot be compared with =');
    expect((await failure('visit % 1.5 = 0')).message).toContain('% needs integers');
    expect((await failure('visit AND band')).message).toContain('Expected a condition');
  });

  it('rejects ambiguous unqualified field names', async () => {
    const err = await failure('exposure_time > 10', { dimensions: ['visit', 'exposure'] });
    expect(err.message).toContain('Ambiguous identifier "exposure_time"');
    expect(err.message).toContain('"exposure.exposure_time", "visit.exposure_time"');
    expect((await failure("timespan OVERLAPS T'2024-01-01'")).message).toContain('"day_obs.timespan", "visit.timespan"');
  });

  it('refuses regions used outside OVERLAPS and region columns compared with each other', async () => {
    expect((await failure('POINT(1, 2) = 3')).message).toContain('POINT() describes a sky region, which can only be compared with OVERLAPS');
    expect((await failure('visit = 1 AND POINT(1, 2) OVERLAPS patch.region AND visit.region OVERLAPS patch.region')).message).toContain('Comparing two region columns (visit, patch)');
  });

  it('keeps dataset fields to dataset queries and order-by terms to the result dimensions', async () => {
    expect((await failure("ingest_date > T'2024-01-01'")).message).toContain('can only be used in dataset queries');
    const order = await registry.queryDataIds({ dimensions: ['visit'], orderBy: ['-detector.full_name'] }).catch((e: unknown) => e);
    expect(order).toBeInstanceOf(WhereClauseError);
    expect((order as Error).message).toContain('needs dimension(s) detector');
  });

  it('reports syntax errors from the parser with a caret', async () => {
    const err = await failure('visit = = 1');
    expect(err.message).toMatch(/Syntax error in where-clause at position 8/);
    expect(err.message).toContain('\n          ^');
  });
});
