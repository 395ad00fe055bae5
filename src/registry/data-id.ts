import { InvalidInputError } from '../errors/index.js';
import type { DimensionGroup, DimensionUniverse } from './universe.js';

/** A data-ID value: string keys (instrument, band, ...) or integer keys (visit, detector, ...). */
export type DataIdValue = string | number;

/** A data ID: dimension name → value. */
export type DataId = Readonly<Record<string, DataIdValue>>;

/**
 * Checks and converts a user-supplied data ID to the required dimensions of `group`: integer
 * dimensions accept numeric strings; extra implied values are kept if given; missing required
 * values are an error naming them.
 */
export function normalizeDataId(group: DimensionGroup, raw: Readonly<Record<string, unknown>>, context = 'data ID'): Record<string, DataIdValue> {
  const universe = group.universe;
  const out: Record<string, DataIdValue> = {};
  const missing = group.required.filter((d) => raw[d] === undefined || raw[d] === null);
  if (missing.length > 0) {
    throw new InvalidInputError(
      `The ${context} ${formatDataId(raw)} lacks required dimension(s) ${missing.map((m) => `"${m}"`).join(', ')}.`,
      { hint: `A data ID for dimensions {${group.required.join(', ')}} needs a value for each of them.` },
    );
  }
  for (const name of group.names) {
    const value = raw[name];
    if (value === undefined || value === null) continue;
    out[name] = coerceDimensionValue(universe, name, value, context);
  }
  return out;
}

/** Converts one value to the type of dimension `name`'s key, or throws naming both. */
export function coerceDimensionValue(universe: DimensionUniverse, name: string, value: unknown, context = 'data ID'): DataIdValue {
  const key = universe.getDimension(name).key;
  if (key.type === 'int') {
    const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n)) {
      throw new InvalidInputError(`Value ${JSON.stringify(value)} for dimension "${name}" in the ${context} is not an integer.`, {
        hint: `"${name}" values are integers, e.g. ${name}=42.`,
      });
    }
    return n;
  }
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new InvalidInputError(`Value ${JSON.stringify(value)} for dimension "${name}" in the ${context} is not a string.`);
  }
  const text = String(value);
  if (text === '' || (key.length !== undefined && text.length > key.length)) {
    throw new InvalidInputError(`Value "${text}" for dimension "${name}" in the ${context} is empty or longer than ${key.length ?? 0} characters.`);
  }
  return text;
}

/**
 * The canonical key of a data ID over `required` dimensions: used for uniqueness in the
 * registry and for lookups. Values only, in universe order.
 */
export function dataIdKey(required: readonly string[], dataId: DataId): string {
  return JSON.stringify(required.map((d) => dataId[d] ?? null));
}

/** Restricts a data ID to the given dimensions. */
export function subsetDataId(dataId: DataId, names: readonly string[]): Record<string, DataIdValue> {
  const out: Record<string, DataIdValue> = {};
  for (const n of names) {
    const v = dataId[n];
    if (v !== undefined) out[n] = v;
  }
  return out;
}

/** `{instrument: 'HSC', visit: 12}` → `instrument='HSC', visit=12` (for messages and tables). */
export function formatDataId(dataId: Readonly<Record<string, unknown>>): string {
  const parts = Object.entries(dataId).map(([k, v]) => (typeof v === 'string' ? `${k}='${v}'` : `${k}=${String(v)}`));
  return `{${parts.join(', ')}}`;
}

/**
 * Parses `k=v,k2=v2` (the command-line form of a data ID) into raw strings; the registry
 * coerces types later.
 */
export function parseDataIdText(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const eq = part.indexOf('=');
    if (eq <= 0) {
      throw new InvalidInputError(`Data ID item "${part}" in "${text}" is not of the form key=value.`, {
        hint: 'Write data IDs as instrument=HSC,visit=12,detector=3.',
      });
    }
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim().replace(/^'(.*)'$/, '$1');
  }
  return out;
}
