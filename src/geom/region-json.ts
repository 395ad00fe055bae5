import { GeometryError } from './geometry-error.js';
import { makeBox, makeCircle, makePoint, makePolygon, type Region } from './regions.js';
import { radToDeg, raDecFromVector } from './vector.js';

/**
 * Compact JSON of a region, for a database text column. Angles in degrees:
 * `{"point":[ra,dec]}`, `{"circle":[ra,dec,radius]}`, `{"box":[ra,dec,width,height]}`,
 * `{"polygon":[[ra1,dec1],[ra2,dec2],...]}` (vertices counter-clockwise). Numbers keep full
 * double precision so shared patch edges stay bit-identical after a round trip.
 */
export function regionToJson(region: Region): string {
  switch (region.kind) {
    case 'point': {
      const p = raDecFromVector(region.center);
      return JSON.stringify({ point: [p.ra, p.dec] });
    }
    case 'circle': {
      const p = raDecFromVector(region.center);
      return JSON.stringify({ circle: [p.ra, p.dec, region.radius * radToDeg] });
    }
    case 'box':
      return JSON.stringify({ box: [region.ra, region.dec, region.width, region.height] });
    case 'polygon':
      return JSON.stringify({ polygon: region.points.map((p) => [p.ra, p.dec]) });
  }
}

/** Parses {@link regionToJson} output (a string or an already parsed object). */
export function regionFromJson(json: string | object): Region {
  const text = typeof json === 'string' ? json : JSON.stringify(json);
  let value: unknown;
  try {
    value = typeof json === 'string' ? JSON.parse(json) : json;
  } catch (error) {
    throw bad(text, 'it is not valid JSON', error);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.keys(value).length !== 1) {
    throw bad(text, 'expected an object with exactly one of the keys point, circle, box, polygon');
  }
  const [kind, args] = Object.entries(value)[0]!;
  const numbers = (count: number): number[] => {
    if (!Array.isArray(args) || args.length !== count || args.some((a) => typeof a !== 'number')) {
      throw bad(text, `'${kind}' needs an array of ${count} numbers`);
    }
    return args as number[];
  };
  switch (kind) {
    case 'point': { const [ra, dec] = numbers(2) as [number, number]; return makePoint(ra, dec); }
    case 'circle': { const [ra, dec, r] = numbers(3) as [number, number, number]; return makeCircle(ra, dec, r); }
    case 'box': { const [ra, dec, w, h] = numbers(4) as [number, number, number, number]; return makeBox(ra, dec, w, h); }
    case 'polygon': {
      if (!Array.isArray(args) || !args.every((v) => Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number'))) {
        throw bad(text, "'polygon' needs an array of [ra, dec] pairs");
      }
      return makePolygon((args as [number, number][]).map(([ra, dec]) => ({ ra, dec })));
    }
    default:
      throw bad(text, `unknown region kind '${kind}' (expected point, circle, box or polygon)`);
  }
}

function bad(text: string, why: string, cause?: unknown): GeometryError {
  const shown = text.length > 200 ? `${text.slice(0, 200)}...` : text;
  return new GeometryError(`cannot read region JSON '${shown}': ${why}`, { value: text, cause });
}
