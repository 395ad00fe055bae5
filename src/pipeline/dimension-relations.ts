/**
 * How dimension names relate, enough to compare dimension sets before a registry is known:
 * `required` and `implied` dimensions of each dimension, and many-to-many join relations
 * (a visit is made of exposures). Names not listed stand alone; any name is accepted.
 */
export interface DimensionRelations {
  required: Readonly<Record<string, readonly string[]>>;
  implied: Readonly<Record<string, readonly string[]>>;
  manyToMany: ReadonlyArray<readonly [string, string]>;
}

/** Relations of the default butler-like universe (daf_butler's, trimmed to what bps-ts uses). */
export const DEFAULT_DIMENSION_RELATIONS: DimensionRelations = {
  required: {
    physical_filter: ['instrument'],
    detector: ['instrument'],
    day_obs: ['instrument'],
    group: ['instrument'],
    exposure: ['instrument'],
    visit: ['instrument'],
    tract: ['skymap'],
    patch: ['skymap', 'tract'],
  },
  implied: {
    physical_filter: ['band'],
    exposure: ['physical_filter', 'day_obs', 'group'],
    visit: ['physical_filter', 'day_obs'],
  },
  manyToMany: [['visit', 'exposure']],
};

function closure(names: Iterable<string>, relations: DimensionRelations, withImplied: boolean): Set<string> {
  const out = new Set<string>();
  const stack = [...names];
  while (stack.length > 0) {
    const name = stack.pop() as string;
    if (out.has(name)) continue;
    out.add(name);
    stack.push(...(relations.required[name] ?? []));
    if (withImplied) stack.push(...(relations.implied[name] ?? []));
  }
  return out;
}

/** The required dimensions of a set (the set plus what each requires). */
export function requiredDimensions(names: Iterable<string>, relations: DimensionRelations = DEFAULT_DIMENSION_RELATIONS): Set<string> {
  return closure(names, relations, false);
}

/** All dimensions of a set: required plus implied (`visit` implies `physical_filter`, `band`...). */
export function expandDimensions(names: Iterable<string>, relations: DimensionRelations = DEFAULT_DIMENSION_RELATIONS): Set<string> {
  return closure(names, relations, true);
}

/** Canonical text of a dimension set for comparisons: sorted required dimensions. */
export function dimensionKey(names: Iterable<string>, relations: DimensionRelations = DEFAULT_DIMENSION_RELATIONS): string {
  return [...requiredDimensions(names, relations)].sort().join(',');
}

/**
 * Whether sharding a step by `sharding` suits a task or dataset with `object` dimensions: the
 * sharding dimensions are among the object's, or the difference is bridged by a many-to-many
 * relation (`{visit, detector}` steps can hold `{exposure, detector}` tasks).
 */
export function areDimensionsCompatible(sharding: Iterable<string>, object: Iterable<string>, relations: DimensionRelations = DEFAULT_DIMENSION_RELATIONS): boolean {
  const shard = expandDimensions(sharding, relations);
  const obj = expandDimensions(object, relations);
  if ([...shard].every((d) => obj.has(d))) return true;
  const shardReq = requiredDimensions(sharding, relations);
  const objReq = requiredDimensions(object, relations);
  const unmatchedShard = [...shardReq].filter((d) => !objReq.has(d));
  const unmatchedObj = [...objReq].filter((d) => !shardReq.has(d));
  return relations.manyToMany.some(
    ([a, b]) => (unmatchedShard.includes(a) && unmatchedObj.includes(b)) || (unmatchedShard.includes(b) && unmatchedObj.includes(a)),
  );
}
