import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { InvalidInputError } from '../errors/index.js';
import { ConfigFields } from '../util/index.js';
import {
  headerTransforms, rawFields, requiredRawFields, type HeaderRule, type HeaderTransform, type Instrument, type RawField,
} from './instrument-types.js';

/** Validates a parsed YAML document as an instrument definition. */
export function parseInstrument(doc: unknown, file: string): Instrument {
  const root = ConfigFields.root(file, doc, 'instrument definition');
  root.checkKeys(['name', 'classPaths', 'description', 'pixelScaleArcsec', 'dayObsOffsetHours', 'detectors', 'filters', 'rawKeywords']);
  const name = root.string('name');
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) root.fail('name', `'${name}' must start with a letter and contain only letters, digits, '_' or '-'`);
  const classPaths = root.value['classPaths'] ?? [];
  if (!Array.isArray(classPaths) || !classPaths.every((c) => typeof c === 'string')) root.fail('classPaths', 'expected a list of class paths');
  const detectors = root.list('detectors').map((d) => {
    d.checkKeys(['id', 'name', 'width', 'height', 'focalPlaneX', 'focalPlaneY', 'rotationDeg']);
    return {
      id: d.number('id', { integer: true, min: 0 }),
      name: d.string('name'),
      width: d.number('width', { integer: true, positive: true }),
      height: d.number('height', { integer: true, positive: true }),
      focalPlaneX: d.number('focalPlaneX', { fallback: 0 }),
      focalPlaneY: d.number('focalPlaneY', { fallback: 0 }),
      rotationDeg: d.number('rotationDeg', { fallback: 0 }),
    };
  });
  const filters = root.list('filters').map((f) => {
    f.checkKeys(['name', 'band']);
    return { name: f.string('name'), band: f.string('band') };
  });
  for (const [what, values] of [['detectors', detectors.map((d) => String(d.id))], ['filters', filters.map((f) => f.name)]] as const) {
    const duplicate = values.find((v, i) => values.indexOf(v) !== i);
    if (duplicate !== undefined) root.fail(what, `'${duplicate}' is defined twice`);
  }
  return {
    name,
    classPaths: classPaths as string[],
    description: typeof root.value['description'] === 'string' ? root.value['description'] : '',
    pixelScaleArcsec: root.number('pixelScaleArcsec', { positive: true }),
    dayObsOffsetHours: root.number('dayObsOffsetHours', { fallback: 0 }),
    detectors,
    filters,
    rawKeywords: parseRules(root),
    source: file,
  };
}

function parseRules(root: ConfigFields): Partial<Record<RawField, HeaderRule>> {
  const raw = root.value['rawKeywords'];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) root.fail('rawKeywords', 'expected a mapping of field → rule');
  const section = new ConfigFields(root.file, raw as Record<string, unknown>, 'rawKeywords');
  section.checkKeys(rawFields);
  const rules: Partial<Record<RawField, HeaderRule>> = {};
  for (const field of rawFields) {
    const value = section.value[field];
    if (value === undefined) {
      if (requiredRawFields.includes(field)) section.fail(field, 'is required');
      continue;
    }
    const spec = typeof value === 'string' ? { keyword: value } : value;
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) section.fail(field, 'expected a keyword or a mapping');
    const rule = new ConfigFields(root.file, spec as Record<string, unknown>, `rawKeywords.${field}`);
    rule.checkKeys(['keyword', 'transform', 'pattern', 'map', 'default']);
    const transform = rule.string('transform', 'none');
    if (!(headerTransforms as readonly string[]).includes(transform)) {
      rule.fail('transform', `must be one of ${headerTransforms.join(', ')}, got '${transform}'`);
    }
    const out: HeaderRule = { keyword: rule.string('keyword'), transform: transform as HeaderTransform };
    if (rule.has('pattern')) {
      const pattern = rule.string('pattern');
      try {
        new RegExp(pattern);
      } catch {
        rule.fail('pattern', `'${pattern}' is not a valid regular expression`);
      }
      out.pattern = pattern;
    }
    const map = rule.value['map'];
    if (map !== undefined) {
      if (typeof map !== 'object' || map === null || Array.isArray(map)) rule.fail('map', 'expected a mapping of header value → value');
      out.map = Object.fromEntries(Object.entries(map as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    }
    const fallback = rule.value['default'];
    if (fallback !== undefined) {
      if (typeof fallback !== 'string' && typeof fallback !== 'number') rule.fail('default', 'expected a string or number');
      out.default = fallback as string | number;
    }
    rules[field] = out;
  }
  return rules;
}

/** Reads and validates an instrument YAML file. */
export function loadInstrument(file: string): Instrument {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InvalidInputError(`cannot read instrument definition '${file}': ${(error as Error).message}`, { file, cause: error });
  }
  return parseInstrument(doc, file);
}
