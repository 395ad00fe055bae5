import { FitsError, readFitsHeader, type FitsHeader, type FitsValue } from '../fits/index.js';
import type { HeaderRule, Instrument, RawField, RawMetadata } from './instrument-types.js';

/** Reads only the header of a raw FITS file and returns its metadata for `instrument`. */
export async function readRawMetadata(instrument: Instrument, fitsPath: string): Promise<RawMetadata> {
  return extractRawMetadata(instrument, await readFitsHeader(fitsPath), fitsPath);
}

function fail(file: string, rule: HeaderRule, field: RawField, message: string, hint?: string): never {
  throw new FitsError(`raw file '${file}': header keyword '${rule.keyword}' (${field}) ${message}`, {
    file,
    keyword: rule.keyword,
    ...(hint === undefined ? {} : { hint }),
  });
}

/** Applies the pattern, map and transform of a rule; undefined when the keyword is absent and has no default. */
function readField(header: FitsHeader, rule: HeaderRule, field: RawField, file: string): string | number | undefined {
  const raw: FitsValue | undefined = header.get(rule.keyword);
  let value: string | number | undefined =
    raw === undefined || raw === null ? rule.default : typeof raw === 'boolean' ? String(raw) : typeof raw === 'bigint' ? Number(raw) : raw;
  if (value === undefined) return undefined;
  if (rule.pattern !== undefined) {
    const match = new RegExp(rule.pattern).exec(String(value));
    if (match === null) fail(file, rule, field, `value '${String(value)}' does not match pattern '${rule.pattern}'`);
    value = match[1] ?? match[0];
  }
  if (rule.map !== undefined) {
    const key = String(value).trim();
    const mapped = rule.map[key];
    if (mapped === undefined) {
      fail(file, rule, field, `value '${key}' is not one of ${Object.keys(rule.map).map((k) => `'${k}'`).join(', ')}`);
    }
    value = mapped;
  }
  return transform(value, rule, field, file);
}

function sexagesimal(text: string, unit: number, rule: HeaderRule, field: RawField, file: string): number {
  const match = /^\s*([+-]?)(\d+)[: ](\d+)[: ](\d+(?:\.\d*)?)\s*$/.exec(text);
  if (match === null) fail(file, rule, field, `value '${text}' is not sexagesimal (expected dd:mm:ss.s)`);
  const magnitude = Number(match[2]) + Number(match[3]) / 60 + Number(match[4]) / 3600;
  return (match[1] === '-' ? -magnitude : magnitude) * unit;
}

function transform(value: string | number, rule: HeaderRule, field: RawField, file: string): string | number {
  switch (rule.transform) {
    case 'none':
      return typeof value === 'string' ? value.trim() : value;
    case 'lower':
      return String(value).trim().toLowerCase();
    case 'upper':
      return String(value).trim().toUpperCase();
    case 'int':
    case 'float': {
      const n = typeof value === 'number' ? value : Number(String(value).trim());
      if (!Number.isFinite(n) || (rule.transform === 'int' && !Number.isInteger(n))) {
        fail(file, rule, field, `value '${String(value)}' is not ${rule.transform === 'int' ? 'an integer' : 'a number'}`);
      }
      return n;
    }
    case 'hms':
      return typeof value === 'number' ? value * 15 : sexagesimal(value, 15, rule, field, file);
    case 'dms':
      return typeof value === 'number' ? value : sexagesimal(value, 1, rule, field, file);
    case 'mjd': {
      if (typeof value !== 'number') fail(file, rule, field, `value '${value}' is not an MJD number`);
      return new Date(Math.round((value - 40587) * 86400000)).toISOString();
    }
    case 'isot': {
      const text = String(value).trim();
      const ok = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?Z?$/.test(text);
      const date = new Date(ok ? `${text.replace(' ', 'T').replace(/Z$/, '')}${text.length === 10 ? 'T00:00:00' : ''}Z` : Number.NaN);
      if (Number.isNaN(date.getTime())) fail(file, rule, field, `value '${text}' is not an ISO date-time (YYYY-MM-DDThh:mm:ss, UTC)`);
      return date.toISOString();
    }
  }
}

/** Pure part of {@link readRawMetadata}: metadata from an already read header. */
export function extractRawMetadata(instrument: Instrument, header: FitsHeader, file: string): RawMetadata {
  const get = (field: RawField): string | number | undefined => {
    const rule = instrument.rawKeywords[field];
    return rule === undefined ? undefined : readField(header, rule, field, file);
  };
  const need = (field: RawField, kind: 'number' | 'string'): string | number => {
    const rule = instrument.rawKeywords[field]!;
    const value = get(field);
    if (value === undefined) {
      fail(file, rule, field, 'is missing', `is '${file}' a raw file of ${instrument.name}? (rules in '${instrument.source}')`);
    }
    if (kind === 'number' && typeof value !== 'number') fail(file, rule, field, `value '${value}' is not a number`);
    return value;
  };
  const exposure = need('exposure', 'number') as number;
  const detector = need('detector', 'number') as number;
  if (!Number.isInteger(exposure) || !Number.isInteger(detector)) {
    throw new FitsError(`raw file '${file}': exposure ${exposure} and detector ${detector} must be integers`, { file });
  }
  if (!instrument.detectors.some((d) => d.id === detector)) {
    fail(file, instrument.rawKeywords.detector!, 'detector', `gives detector ${detector}, which ${instrument.name} does not have (known: ${instrument.detectors.map((d) => d.id).join(', ')})`);
  }
  const physicalFilter = String(need('physical_filter', 'string'));
  const filter = instrument.filters.find((f) => f.name === physicalFilter);
  if (filter === undefined) {
    fail(file, instrument.rawKeywords.physical_filter!, 'physical_filter', `gives filter '${physicalFilter}', which is not a filter of ${instrument.name} (known: ${instrument.filters.map((f) => f.name).join(', ')})`, `add it to the filters of '${instrument.source}'`);
  }
  const begin = String(need('datetime_begin', 'string'));
  const exposureTime = need('exposure_time', 'number') as number;
  const beginMs = Date.parse(begin);
  const shifted = new Date(beginMs + instrument.dayObsOffsetHours * 3600000);
  const dayObs = shifted.getUTCFullYear() * 10000 + (shifted.getUTCMonth() + 1) * 100 + shifted.getUTCDate();
  const optionalNumber = (field: RawField): number | null => {
    const v = get(field);
    if (v === undefined) return null;
    if (typeof v !== 'number') fail(file, instrument.rawKeywords[field]!, field, `value '${v}' is not a number`);
    return v;
  };
  return {
    instrument: instrument.name,
    exposure,
    detector,
    physical_filter: physicalFilter,
    band: filter.band,
    day_obs: dayObs,
    group: String(get('group') ?? exposure),
    obs_id: String(get('obs_id') ?? `${instrument.name}_${exposure}`),
    observation_type: String(get('observation_type') ?? 'science'),
    exposure_time: exposureTime,
    datetime_begin: new Date(beginMs).toISOString(),
    datetime_end: new Date(beginMs + exposureTime * 1000).toISOString(),
    tracking_ra: optionalNumber('tracking_ra'),
    tracking_dec: optionalNumber('tracking_dec'),
    sky_angle: optionalNumber('sky_angle') ?? 0,
  };
}
