import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { InvalidInputError, NotFoundError } from '../errors/index.js';
import { ConfigFields } from '../util/index.js';

/** Skymap kinds: an explicit list of tracts, or rings of tracts covering the whole sky. */
export const skymapKinds = ['discrete', 'rings'] as const;
export type SkymapKind = (typeof skymapKinds)[number];

/** One tract of a discrete skymap: centre and the radius it must cover (degrees). */
export interface DiscreteTractConfig {
  ra: number;
  dec: number;
  radiusDeg: number;
}

/** Settings shared by every skymap kind. */
interface SkymapConfigBase {
  name: string;
  /** Pixel scale of tract/patch images, arcsec per pixel. */
  pixelScaleArcsec: number;
  /** Inner size of a patch in pixels [x, y]. */
  patchInnerDimensions: [number, number];
  /** Border added around each patch's inner box (overlap with its neighbours), pixels. */
  patchBorder: number;
  /** Extra margin added around each tract, degrees. */
  tractOverlapDeg: number;
  /** Where the config was read from (for messages). */
  source: string;
}

/** A skymap configuration (from `pipelines/skymaps/*.yaml`). */
export type SkymapConfig =
  | (SkymapConfigBase & { kind: 'discrete'; tracts: DiscreteTractConfig[] })
  | (SkymapConfigBase & { kind: 'rings'; numberOfRings: number; raStartDeg: number });

/** Folder of the skymap configs shipped with bps-ts. */
export function shippedSkymapDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../pipelines/skymaps');
}

/** Validates a parsed YAML document as a skymap config. */
export function parseSkymapConfig(doc: unknown, file: string): SkymapConfig {
  const root = ConfigFields.root(file, doc, 'skymap config');
  const kindText = root.string('kind');
  if (!(skymapKinds as readonly string[]).includes(kindText)) root.fail('kind', `must be one of ${skymapKinds.join(', ')}, got '${kindText}'`);
  const kind = kindText as SkymapKind;
  const common = ['name', 'kind', 'description', 'pixelScaleArcsec', 'patchInnerDimensions', 'patchBorder', 'tractOverlapDeg'];
  root.checkKeys(kind === 'discrete' ? [...common, 'tracts'] : [...common, 'numberOfRings', 'raStartDeg']);
  const name = root.string('name');
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) root.fail('name', `'${name}' may only contain letters, digits, '_', '.', '-' (it is used in file names)`);
  const base: SkymapConfigBase = {
    name,
    pixelScaleArcsec: root.number('pixelScaleArcsec', { positive: true }),
    patchInnerDimensions: root.numberPair('patchInnerDimensions'),
    patchBorder: root.number('patchBorder', { fallback: 0, min: 0, integer: true }),
    tractOverlapDeg: root.number('tractOverlapDeg', { fallback: 0, min: 0 }),
    source: file,
  };
  if (kind === 'rings') {
    return {
      ...base,
      kind,
      numberOfRings: root.number('numberOfRings', { integer: true, min: 1 }),
      raStartDeg: root.number('raStartDeg', { fallback: 0 }),
    };
  }
  const tracts = root.list('tracts').map((t) => {
    t.checkKeys(['ra', 'dec', 'radiusDeg']);
    const dec = t.number('dec');
    if (dec < -90 || dec > 90) t.fail('dec', `must be within [-90, 90], got ${dec}`);
    const radiusDeg = t.number('radiusDeg', { positive: true });
    if (radiusDeg >= 45) t.fail('radiusDeg', `must be below 45 degrees (a tract is one gnomonic projection), got ${radiusDeg}`);
    return { ra: t.number('ra'), dec, radiusDeg };
  });
  return { ...base, kind, tracts };
}

/** Reads and validates a skymap config file. */
export function loadSkymapConfig(file: string): SkymapConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InvalidInputError(`cannot read skymap config '${file}': ${(error as Error).message}`, { file, cause: error });
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new InvalidInputError(`skymap config '${file}' is not valid YAML: ${(error as Error).message}`, { file, cause: error });
  }
  return parseSkymapConfig(doc, file);
}

/** A skymap config by file path, or by name among the shipped ones (`demo` → `pipelines/skymaps/demo.yaml`). */
export function findSkymapConfig(nameOrPath: string): SkymapConfig {
  if (nameOrPath.endsWith('.yaml') || nameOrPath.endsWith('.yml') || nameOrPath.includes('/')) return loadSkymapConfig(nameOrPath);
  const file = path.join(shippedSkymapDir(), `${nameOrPath}.yaml`);
  if (!existsSync(file)) {
    throw new NotFoundError(`no shipped skymap named '${nameOrPath}' (looked for '${file}')`, {
      hint: 'pass the path of a skymap YAML file instead',
    });
  }
  return loadSkymapConfig(file);
}
