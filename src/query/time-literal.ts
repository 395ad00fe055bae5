import { TIME_FORMATS, TIME_SCALES } from './ast.js';
import type { TimeFormat, TimeScale, TimeValue } from './ast.js';
import {
  DAY_MICROS,
  convertToUtcMicros,
  countDaysFromCivil,
  countDaysInMonth,
  isLeapYear,
} from './time-scales.js';
import { WhereClauseError } from './where-clause-error.js';

/** Outcome of reading the text of a time literal. */
export type TimeConversion =
  | { readonly ok: true; readonly value: TimeValue }
  | { readonly ok: false; readonly reason: string; readonly hint?: string };

type ValueKind = 'decimal' | 'integer' | 'iso' | 'fits' | 'yday';

const VALUE_PATTERNS: readonly (readonly [ValueKind, RegExp])[] = [
  ['decimal', /^-?(\d+\.\d*|\.\d+)$/],
  ['integer', /^-?\d+$/],
  ['iso', /^(\d+)-(\d+)-(\d+)(?:[ Tt](\d+):(\d+)(?::(\d+)(?:\.(\d*))?)?)?$/],
  ['fits', /^\+(\d+)-(\d+)-(\d+)(?:T(\d+):(\d+):(\d+)(?:\.(\d*))?)?$/],
  ['yday', /^(\d+):(\d+)(?::(\d+):(\d+)(?::(\d+)(?:\.(\d*))?)?)?$/],
];

const FORMAT_HINT =
  "write T'2020-01-01', T'2020-01-01 12:00:00', T'2020-01-01T12:00:00.5', T'2020:001:12:00:00', " +
  "T'58849.5' (MJD, TAI) or format/value/scale such as T'mjd/58849.5/tai'";

/** Numeric formats: micros per unit and the value (in micros) at the Unix epoch. */
const NUMERIC_FORMATS: Readonly<Record<'mjd' | 'jd' | 'unix', readonly [bigint, bigint]>> = {
  mjd: [86_400_000_000n, 40_587n * 86_400_000_000n],
  jd: [86_400_000_000n, 210_866_760_000_000_000n],
  unix: [1_000_000n, 0n],
};

const fail = (reason: string, hint: string = FORMAT_HINT): TimeConversion => ({ ok: false, reason, hint });

function classify(value: string): ValueKind | null {
  for (const [kind, pattern] of VALUE_PATTERNS) if (pattern.test(value)) return kind;
  return null;
}

/**
 * Reads the text between the quotes of a `T'...'` literal: `[format/]value[/scale]`, with the
 * format guessed from the value when absent (number → mjd, date with space → iso, with T →
 * isot, leading + → fits, colons → yday) and the scale defaulting to tai for mjd/jd and utc
 * otherwise, as daf_butler does. A `+00:00` suffix is accepted and ignored.
 */
export function convertTimeText(text: string): TimeConversion {
  if (text === '') return fail('time literal is empty');
  const cleaned = text.replaceAll('+00:00', '');
  const parts = cleaned.split('/');
  if (parts.length > 3 || parts.some((part) => part === '')) {
    return fail(`time '${text}' is not of the form [format/]value[/scale]`);
  }
  let formatWord: string | undefined;
  let scaleWord: string | undefined;
  let value: string;
  if (parts.length === 3) [formatWord, value, scaleWord] = parts as [string, string, string];
  else if (parts.length === 2 && classify(parts[0] as string) !== null) [value, scaleWord] = parts as [string, string];
  else if (parts.length === 2) [formatWord, value] = parts as [string, string];
  else value = parts[0] as string;

  const kind = classify(value);
  if (kind === null) {
    if (/(Z|[+-]\d\d:?\d\d)$/i.test(value)) {
      return fail(`time '${text}' has a time zone; only UTC is supported`, 'drop the zone suffix and give the time in UTC');
    }
    return fail(`time '${text}' does not match any known time format`);
  }
  const format = resolveFormat(formatWord, value, kind);
  if (typeof format !== 'string') return format;
  const scale = resolveScale(scaleWord, format);
  if (typeof scale !== 'string') return scale;

  let utcMicros: number | string;
  if (format === 'mjd' || format === 'jd' || format === 'unix') {
    const [unit, epoch] = NUMERIC_FORMATS[format];
    const micros = roundDivide(decimalNumerator(value) * unit, decimalDenominator(value)) - epoch;
    const naive = micros >= -MAX_MICROS && micros <= MAX_MICROS ? Number(micros) : Number.NaN;
    // A Unix time counts UTC seconds whatever scale is named; the scale only labels it.
    utcMicros = format === 'unix' ? naive : convertToUtcMicros(naive, scale);
  } else {
    const naive = readCalendar(value, kind);
    utcMicros = typeof naive === 'string' ? naive : convertToUtcMicros(naive, scale);
  }
  if (typeof utcMicros === 'string') return fail(`time '${text}' is not valid: ${utcMicros}`);
  if (!Number.isSafeInteger(utcMicros)) {
    return fail(`time '${text}' is outside the supported range (about years 1686 to 2255)`, 'use a time between 1700 and 2250');
  }
  return { ok: true, value: { utcMicros, text, format, scale } };
}

/**
 * Converts the text of a time literal (without `T'` and `'`) to its canonical value.
 * @throws WhereClauseError when the text is not a supported time.
 */
export function parseTimeLiteral(text: string): TimeValue {
  const result = convertTimeText(text);
  if (result.ok) return result.value;
  throw new WhereClauseError(`Invalid time literal: ${result.reason}`, {
    expression: text,
    offset: 0,
    length: text.length,
    hint: result.hint,
  });
}

const MAX_MICROS = BigInt(Number.MAX_SAFE_INTEGER);

function resolveFormat(word: string | undefined, value: string, kind: ValueKind): TimeFormat | TimeConversion {
  if (word === undefined) {
    if (kind === 'integer') {
      return fail(
        `time '${value}' is a bare integer; a number is read as an MJD and needs a decimal point`,
        `write T'${value}.0' for an MJD or name the format, e.g. T'unix/${value}'`,
      );
    }
    if (kind === 'decimal') return 'mjd';
    if (kind === 'iso') return /[Tt]/.test(value) ? 'isot' : 'iso';
    return kind;
  }
  const format = word.toLowerCase();
  if (!(TIME_FORMATS as readonly string[]).includes(format)) {
    return fail(`time format '${word}' is not supported (supported: ${TIME_FORMATS.join(', ')})`);
  }
  const numeric = kind === 'decimal' || kind === 'integer';
  const hasTime = kind === 'iso' && /[ Tt]/.test(value);
  const fits = (format === 'mjd' || format === 'jd' || format === 'unix') ? numeric
    : format === 'iso' ? kind === 'iso' && !/[Tt]/.test(value)
    : format === 'isot' ? kind === 'iso' && (!hasTime || /[Tt]/.test(value))
    : format === 'fits' ? kind === 'fits' || (kind === 'iso' && (!hasTime || value.includes('T')))
    : kind === 'yday';
  if (!fits) return fail(`time '${value}' does not match format '${format}'`);
  return format as TimeFormat;
}

function resolveScale(word: string | undefined, format: TimeFormat): TimeScale | TimeConversion {
  if (word === undefined) return format === 'mjd' || format === 'jd' ? 'tai' : 'utc';
  const scale = word.toLowerCase();
  if (!(TIME_SCALES as readonly string[]).includes(scale)) {
    return fail(`time scale '${word}' is not supported (supported: ${TIME_SCALES.join(', ')})`);
  }
  return scale as TimeScale;
}

/** Calendar text to micros on a uniform-day timeline, or the reason it is invalid. */
function readCalendar(value: string, kind: ValueKind): number | string {
  const pattern = VALUE_PATTERNS.find(([k]) => k === kind)?.[1];
  const match = pattern?.exec(value);
  if (!match) return 'unreadable';
  const field = (i: number): number => (match[i] === undefined ? 0 : Number(match[i]));
  const year = field(1);
  let days: number;
  let rest: number;
  if (kind === 'yday') {
    const dayOfYear = field(2);
    if (dayOfYear < 1 || dayOfYear > (isLeapYear(year) ? 366 : 365)) return `day of year ${dayOfYear} does not exist in ${year}`;
    days = countDaysFromCivil(year, 1, 1) + dayOfYear - 1;
    rest = 3;
  } else {
    const month = field(2);
    const day = field(3);
    if (month < 1 || month > 12) return `month ${month} does not exist`;
    if (day < 1 || day > countDaysInMonth(year, month)) return `day ${day} does not exist in month ${month} of ${year}`;
    days = countDaysFromCivil(year, month, day);
    rest = 4;
  }
  const hour = field(rest);
  const minute = field(rest + 1);
  const second = field(rest + 2);
  if (hour > 23 || minute > 59 || second > 60) return 'hour, minute or second out of range';
  // Only six fraction digits matter: round on the seventh.
  const fraction = Math.round(Number(`${(match[rest + 3] ?? '').padEnd(7, '0').slice(0, 7)}`) / 10);
  return days * DAY_MICROS + ((hour * 60 + minute) * 60 + second) * 1_000_000 + fraction;
}

function decimalNumerator(text: string): bigint {
  const negative = text.startsWith('-');
  const digits = text.replace('-', '').replace('.', '');
  const value = BigInt(digits === '' ? '0' : digits);
  return negative ? -value : value;
}

function decimalDenominator(text: string): bigint {
  const dot = text.indexOf('.');
  return dot < 0 ? 1n : 10n ** BigInt(text.length - dot - 1);
}

/** a / b rounded half away from zero; b > 0. */
function roundDivide(a: bigint, b: bigint): bigint {
  return a >= 0n ? (2n * a + b) / (2n * b) : -((-2n * a + b) / (2n * b));
}
