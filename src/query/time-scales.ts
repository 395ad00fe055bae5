import type { TimeScale } from './ast.js';

const MICROS_PER_SECOND = 1_000_000;
const MICROS_PER_DAY = 86_400 * MICROS_PER_SECOND;
/** TT - TAI, exact by definition. */
const TT_MINUS_TAI_MICROS = 32_184_000;

/**
 * TAI - UTC in seconds, from the UTC date it took effect (IERS Bulletin C). Before 1972 UTC
 * used rubber seconds; we use the 1972 value there, which is off by at most a few seconds.
 */
const LEAP_SECONDS: readonly (readonly [number, number, number, number])[] = [
  [1972, 1, 1, 10], [1972, 7, 1, 11], [1973, 1, 1, 12], [1974, 1, 1, 13], [1975, 1, 1, 14],
  [1976, 1, 1, 15], [1977, 1, 1, 16], [1978, 1, 1, 17], [1979, 1, 1, 18], [1980, 1, 1, 19],
  [1981, 7, 1, 20], [1982, 7, 1, 21], [1983, 7, 1, 22], [1985, 7, 1, 23], [1988, 1, 1, 24],
  [1990, 1, 1, 25], [1991, 1, 1, 26], [1992, 7, 1, 27], [1993, 7, 1, 28], [1994, 7, 1, 29],
  [1996, 1, 1, 30], [1997, 7, 1, 31], [1999, 1, 1, 32], [2006, 1, 1, 33], [2009, 1, 1, 34],
  [2012, 7, 1, 35], [2015, 7, 1, 36], [2017, 1, 1, 37],
];

/** [UTC micros when the offset starts, TAI - UTC in micros], newest first. */
const LEAP_TABLE: readonly (readonly [number, number])[] = LEAP_SECONDS.map(
  ([y, m, d, s]) => [countDaysFromCivil(y, m, d) * MICROS_PER_DAY, s * MICROS_PER_SECOND] as const,
).reverse();

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (month 1-12), valid for any year; the
 * usual era-based algorithm, so no Date object and no two-digit-year surprises.
 */
export function countDaysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Whether `year` is a Gregorian leap year. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in `month` (1-12) of `year`. */
export function countDaysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Microseconds per day, for callers converting day counts. */
export const DAY_MICROS = MICROS_PER_DAY;

/**
 * Converts a time read on a uniform 86,400-second-day timeline in `scale` (calendar fields or
 * MJD counted from 1970-01-01 in that scale) into UTC Unix microseconds.
 */
export function convertToUtcMicros(naiveMicros: number, scale: TimeScale): number {
  if (scale === 'utc') return naiveMicros;
  const tai = scale === 'tt' ? naiveMicros - TT_MINUS_TAI_MICROS : naiveMicros;
  for (const [utcStart, offset] of LEAP_TABLE) {
    if (tai >= utcStart + offset) return tai - offset;
  }
  const first = LEAP_TABLE[LEAP_TABLE.length - 1];
  return tai - (first === undefined ? 0 : first[1]);
}
