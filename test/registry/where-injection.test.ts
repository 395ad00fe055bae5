import { describe, expect, it } from 'vitest';
import { WhereClauseError } from '../../src/query/index.js';
import type { Registry } from '../../src/registry/index.js';
import { backends, useRegistry } from '../support/backends.js';
import { populateWhereUniverse } from '../support/populate.js';

const PAYLOADS = ["HSC' OR 1=1 --", "x'; DROP TABLE dim_visit; --", "') OR ('1'='1", 'a"; select 1; --', "%' OR '%'='"];

describe.each(backends)('where-clause injection safety on $name', ({ make }) => {
  let registry: Registry;
  useRegistry(make, populateWhereUniverse, (r) => (registry = r));

  it.each(PAYLOADS)('keeps bind value %j out of the SQL text and matches nothing', async (payload) => {
    for (const [where, bind] of [
      ['instrument = :p', { p: payload }],
      ['instrument IN (:p)', { p: [payload, 'nope'] }],
      ['GLOB(detector.full_name, :p) OR visit.name = :p', { p: payload }],
      ['instrument = p', { p: payload }],
    ] as const) {
      const compiled = await registry.compileDataIdQuery({ dimensions: ['visit', 'detector'], where, bind });
      expect(compiled.sql).not.toContain(payload);
      expect(compiled.sql).not.toMatch(/DROP|1=1|'1'/i);
      expect(compiled.parameters.some((p) => p === payload || (typeof p === 'string' && p.includes(payload.replace(/[%_\\]/g, ''))) || (Array.isArray(p) && p.includes(payload)))).toBe(true);
      expect(await registry.queryDataIds({ dimensions: ['visit', 'detector'], where, bind })).toEqual([]);
    }
  });

  it.each(PAYLOADS.filter((p) => !p.includes("'")))('keeps string literal %j out of the SQL text', async (payload) => {
    const where = `instrument = '${payload}' OR GLOB(visit.name, '${payload}')`;
    const compiled = await registry.compileDataIdQuery({ dimensions: ['visit'], where });
    expect(compiled.sql).not.toContain(payload);
    expect(compiled.parameters).toContain(payload);
    expect(await registry.queryDataIds({ dimensions: ['visit'], where })).toEqual([]);
  });

  it('cannot close a string literal early: a quote in an expression is a syntax error, not SQL', async () => {
    for (const where of ["instrument = 'HSC' OR 1=1 --'", "instrument = 'HSC'; DROP TABLE dim_visit; --", "visit = 1 -- comment"]) {
      const err = await registry.queryDataIds({ dimensions: ['visit'], where }).catch((e: unknown) => e);
      expect(err, where).toBeInstanceOf(WhereClauseError);
    }
    const rows = await registry.queryDataIds({ dimensions: ['visit'], where: "instrument = 'HSC'" });
    expect(rows).toHaveLength(6);
  });

  it('binds every value of a where-clause as a parameter, numbers and times included', async () => {
    const compiled = await registry.compileDataIdQuery({
      dimensions: ['visit'],
      where: "visit IN (123457, 200..300:7) AND visit.exposure_time > 98765.5 AND visit.timespan.begin < T'2024-01-02T00:00:00' AND band = 'zz-unique'",
    });
    for (const literal of ['123457', '98765.5', '200', '300', '7', 'zz-unique', String(Date.parse('2024-01-02T00:00:00Z') * 1000)]) {
      // `$7` is PostgreSQL's placeholder syntax, not the value 7.
      expect(compiled.sql).not.toMatch(new RegExp(`(?<![$\\d])${literal.replace('.', '\\.')}(?![\\d])`));
      expect(compiled.parameters.map(String)).toContain(literal);
    }
  });

  it('takes identifiers only from the universe, never from user text', async () => {
    const err = await registry.queryDataIds({ dimensions: ['visit'], where: 'visit.exposure_time_x_or_1 = 1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WhereClauseError);
    const compiled = await registry.compileDataIdQuery({ dimensions: ['visit'], where: 'visit.exposure_time > 1' });
    expect(compiled.sql).toContain('"t_visit"."exposure_time"');
  });
});
