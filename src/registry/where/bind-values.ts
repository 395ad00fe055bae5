import { InvalidInputError } from '../../errors/index.js';

/** One bound value: a string, a number, or a time (`Date`, converted to UTC microseconds). */
export type BindScalar = string | number | Date;

/** A bind value: a scalar, or a list for `x IN (:name)`. */
export type BindValue = BindScalar | readonly (string | number)[];

/** Values for the `:name` placeholders (and bare identifiers) of a where-clause. */
export type BindValues = Readonly<Record<string, BindValue>>;

const BIND_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses command-line bind options `name=value` (repeatable); `name=1,2,3` gives a list.
 * Values stay strings: the compiler converts a bound string to the type of what it is compared
 * with (`visit = :v` with `v=12` compares with the integer 12), so `--bind id=007` keeps its
 * zeros when compared with a string column.
 */
export function parseBindOptions(items: readonly string[]): Record<string, BindValue> {
  const out: Record<string, BindValue> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    const name = eq <= 0 ? '' : item.slice(0, eq).trim();
    if (!BIND_NAME_RE.test(name)) {
      throw new InvalidInputError(`--bind "${item}" is not of the form name=value with a plain name.`, {
        hint: "Write e.g. --bind visits=1,2,3 and use it as visit IN (:visits), or --bind name=HSC with instrument = :name.",
      });
    }
    const text = item.slice(eq + 1);
    if (Object.hasOwn(out, name)) {
      throw new InvalidInputError(`--bind name "${name}" is given twice.`, { hint: 'Give each bind name once; separate list items with commas.' });
    }
    out[name] = text.includes(',') ? text.split(',').map((v) => v.trim()) : text;
  }
  return out;
}
