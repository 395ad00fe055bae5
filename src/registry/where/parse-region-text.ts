import { GeometryError, makeBox, makeCircle, makePolygon, regionFromJson, type Region } from '../../geom/index.js';

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A region from text: region JSON as stored in the registry (`{"circle":[ra,dec,r]}`, see
 * `regionToJson`) or an IVOA POS string as daf_butler's `REGION()` takes it:
 * `CIRCLE ra dec radius`, `RANGE ra1 ra2 dec1 dec2` (an RA/Dec box; `-Inf`/`+Inf` for open
 * sides), `POLYGON ra1 dec1 ra2 dec2 ra3 dec3 ...`. Degrees throughout.
 * @throws GeometryError saying what is wrong with the text.
 */
export function parseRegionText(text: string): Region {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return regionFromJson(trimmed);
  const [shape = '', ...rest] = trimmed.split(/\s+/);
  const numbers = rest.map((word) => parseNumber(word, text));
  switch (shape.toUpperCase()) {
    case 'CIRCLE':
      requireCount(numbers, 3, text, 'CIRCLE ra dec radius');
      return makeCircle(numbers[0] as number, numbers[1] as number, numbers[2] as number);
    case 'RANGE':
      requireCount(numbers, 4, text, 'RANGE ra1 ra2 dec1 dec2');
      return makeRange(numbers as [number, number, number, number], text);
    case 'POLYGON': {
      if (numbers.length < 6 || numbers.length % 2 !== 0) {
        throw bad(text, `POLYGON needs an even number of values, at least 6, got ${numbers.length}`);
      }
      const points = [];
      for (let i = 0; i < numbers.length; i += 2) points.push({ ra: numbers[i] as number, dec: numbers[i + 1] as number });
      return makePolygon(points);
    }
    default:
      throw bad(text, `unknown shape '${shape}' (expected region JSON, or CIRCLE, RANGE or POLYGON)`);
  }
}

function parseNumber(word: string, text: string): number {
  const lower = word.toLowerCase();
  if (lower === '+inf' || lower === 'inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  if (!NUMBER_RE.test(word)) throw bad(text, `'${word}' is not a number`);
  return Number(word);
}

function requireCount(numbers: readonly number[], count: number, text: string, form: string): void {
  if (numbers.length !== count) throw bad(text, `expected ${form} (${count} numbers), got ${numbers.length}`);
  if (form.startsWith('CIRCLE') && numbers.some((n) => !Number.isFinite(n))) throw bad(text, 'CIRCLE values must be finite');
}

/** `RANGE ra1 ra2 dec1 dec2` as a box; an infinite RA side means all RA, infinite Dec sides the poles. */
function makeRange([ra1, ra2, dec1, dec2]: [number, number, number, number], text: string): Region {
  const decMin = Math.max(dec1, -90);
  const decMax = Math.min(dec2, 90);
  if (!(decMin < decMax)) throw bad(text, `RANGE needs dec1 < dec2, got ${dec1} and ${dec2}`);
  const allRa = !Number.isFinite(ra1) || !Number.isFinite(ra2);
  let width = allRa ? 360 : ra2 - ra1;
  if (!allRa && width <= 0) width += 360;
  const ra = allRa ? 180 : ra1 + width / 2;
  return makeBox(ra, (decMin + decMax) / 2, width, decMax - decMin);
}

function bad(text: string, why: string): GeometryError {
  const shown = text.length > 120 ? `${text.slice(0, 120)}...` : text;
  return new GeometryError(`cannot read region '${shown}': ${why}`, { value: text });
}
