import { describe, expect, it } from 'vitest';
import { WhereClauseError, parseTimeLiteral, parseWhereClause } from '../../src/query/index.js';

// Expected values worked out by hand: Unix seconds of the UTC calendar instant, minus
// TAI-UTC (32 s in 2000, 36 s in late 2016, 37 s since 2017) for TAI, minus a further
// 32.184 s for TT; MJD 40587 is 1970-01-01 and JD = MJD + 2400000.5.
describe('parseTimeLiteral', () => {
  it.each([
    ['2020-03-30T12:20:33', 1_585_570_833_000_000, 'isot', 'utc'],
    ['2020-03-30 12:20:33', 1_585_570_833_000_000, 'iso', 'utc'],
    ['2020-03-30 12:20', 1_585_570_800_000_000, 'iso', 'utc'],
    ['2020-03-30', 1_585_526_400_000_000, 'iso', 'utc'],
    ['2020-03-30 12:20:33.456789', 1_585_570_833_456_789, 'iso', 'utc'],
    ['2020-03-30T12:20:33.4567895', 1_585_570_833_456_790, 'isot', 'utc'],
    ['2020-03-30t12:20:33.5', 1_585_570_833_500_000, 'isot', 'utc'],
    ['+02020-03-30T12:20:33', 1_585_570_833_000_000, 'fits', 'utc'],
    ['fits/2020-03-30', 1_585_526_400_000_000, 'fits', 'utc'],
    ['isot/2020-03-30', 1_585_526_400_000_000, 'isot', 'utc'],
    ['2020:001:12:00:00', 1_577_880_000_000_000, 'yday', 'utc'],
    ['2020:123', 1_588_377_600_000_000, 'yday', 'utc'],
    ['yday/2020:123:12:20/tai', 1_588_421_963_000_000, 'yday', 'tai'],
    ['58938.515', 1_585_570_859_000_000, 'mjd', 'tai'],
    ['mjd/58938.515/tai', 1_585_570_859_000_000, 'mjd', 'tai'],
    ['MJd/58938.515/TAi', 1_585_570_859_000_000, 'mjd', 'tai'],
    ['51544.0', 946_684_768_000_000, 'mjd', 'tai'],
    ['51544.0/utc', 946_684_800_000_000, 'mjd', 'utc'],
    ['jd/2451544.5', 946_684_768_000_000, 'jd', 'tai'],
    ['unix/946684800.0', 946_684_800_000_000, 'unix', 'utc'],
    ['unix/946684800', 946_684_800_000_000, 'unix', 'utc'],
    ['2020-01-01/tt', 1_577_836_730_816_000, 'iso', 'tt'],
    ['2016-12-31T23:59:59/tai', 1_483_228_763_000_000, 'isot', 'tai'],
    ['2017-01-01T00:00:37/tai', 1_483_228_800_000_000, 'isot', 'tai'],
    // 19 s starts at 1980-01-01T00:00:19 TAI, so midnight TAI is still under the 18 s offset.
    ['1980-01-01/tai', 315_532_782_000_000, 'iso', 'tai'],
    ['1900-01-01', -2_208_988_800_000_000, 'iso', 'utc'],
    ['2020-03-30T12:20:33+00:00', 1_585_570_833_000_000, 'isot', 'utc'],
    ['2000-02-29', 951_782_400_000_000, 'iso', 'utc'],
  ] as const)('reads %s', (text, utcMicros, format, scale) => {
    expect(parseTimeLiteral(text)).toEqual({ utcMicros, text, format, scale });
  });

  it.each([
    ['', /time literal is empty/],
    [' ', /does not match any known time format/],
    ['123.456e10', /does not match any known time format/],
    ['mjd-dj/123.456', /time format 'mjd-dj' is not supported/],
    ['123.456/mai-tai', /not supported|does not match/],
    ['2020-03-01 00', /does not match any known time format/],
    ['2020-03-01T', /does not match any known time format/],
    ['2020:100:12', /does not match any known time format/],
    ['format/123456.00', /time format 'format' is not supported/],
    ['123456.00/unscale', /time scale 'unscale' is not supported/],
    ['123456.00/tdb', /time scale 'tdb' is not supported \(supported: utc, tai, tt\)/],
    ['58938', /bare integer/],
    ['iso/2020-01-01T00:00:00', /does not match format 'iso'/],
    ['mjd/2020-01-01', /does not match format 'mjd'/],
    ['2020-02-30', /day 30 does not exist in month 2 of 2020/],
    ['2019:366', /day of year 366 does not exist in 2019/],
    ['2020-13-01', /month 13 does not exist/],
    ['2020-01-01 24:00', /out of range/],
    ['2020-01-01T00:00:00Z', /time zone/],
    ['2020-01-01T00:00:00+02:00', /time zone/],
    ['9999-01-01', /outside the supported range/],
    ['a/b/c/d', /not of the form/],
  ])('rejects %j', (text, message) => {
    expect(() => parseTimeLiteral(text)).toThrow(WhereClauseError);
    expect(() => parseTimeLiteral(text)).toThrow(message);
  });

  it('keeps the literal text and canonical value on the tree node', () => {
    expect(parseWhereClause("visit.timespan.end < t'mjd/58938.515/tai'")).toMatchObject({
      right: { kind: 'literal', type: 'time', text: 'mjd/58938.515/tai', utcMicros: 1_585_570_859_000_000, start: 21, end: 41 },
    });
  });

  it('reports a bad time literal inside an expression at the literal', () => {
    const error = catchError(() => parseWhereClause("ingest_date < T'2020-02-30'"));
    expect(error.offset).toBe(14);
    expect(error.message).toContain("invalid time literal T'2020-02-30'");
    expect(error.message).toContain('\n  ingest_date < T\'2020-02-30\'\n                ^^^^^^^^^^^^^');
  });
});

function catchError(run: () => unknown): WhereClauseError {
  try {
    run();
  } catch (error) {
    if (error instanceof WhereClauseError) return error;
    throw error;
  }
  throw new Error('expected a WhereClauseError');
}
