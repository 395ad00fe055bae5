import { sql, type Expression, type SqlBool } from 'kysely';
import { InvalidInputError } from '../../errors/index.js';
import type { RegistryContext } from '../context.js';
import type { AnySelect } from '../datasets-query.js';
import { elementKeyColumns, elementTable, overlapColumns, overlapTable } from '../db/schema.js';
import type { DimensionGroup } from '../universe.js';
import type { ColumnSource } from './column-source.js';

/** Options of {@link planDimensionJoin}. */
export interface PlanDimensionJoinOptions {
  /** Dimensions the rows must carry (expanded to their group). */
  readonly dimensions: Iterable<string>;
  /** Elements whose tables must be joined because their columns are used. */
  readonly elements?: Iterable<string>;
  /** Prefix of table aliases, so that a plan can nest inside another query (default `t`). */
  readonly aliasPrefix?: string;
}

/** FROM and JOINs serving every dimension of a group, and where each column comes from. */
export interface JoinPlan {
  /** The joined tables, nothing selected yet. */
  readonly query: AnySelect;
  readonly group: DimensionGroup;
  readonly source: ColumnSource;
  /** Tables in join order (for tests and explanations). */
  readonly tables: readonly string[];
}

/**
 * Plans one SQL join over the tables of a dimension group:
 * 1. when the group spans both sides of a materialised overlap (visit/detector and
 *    tract/patch), the most specific overlap table whose columns the group holds comes first;
 * 2. the table of every required dimension no other required dimension depends on
 *    (`visit`, `detector`; not `instrument`, whose values those tables carry);
 * 3. tables of elements whose fields are used;
 * 4. until every implied dimension has a value, the table of the dimension implying it
 *    (visit → physical_filter table → band);
 * 5. relationship tables without a region over the group's dimensions (visit_definition
 *    when both exposure and visit are present); region tables only when their columns are used.
 * Each table joins on every dimension column already provided by an earlier one.
 */
export function planDimensionJoin(ctx: RegistryContext, options: PlanDimensionJoinOptions): JoinPlan {
  const universe = ctx.universe;
  const forced = new Set(options.elements ?? []);
  const group = universe.group([...options.dimensions, ...[...forced].flatMap((e) => elementKeyColumns(universe, e))]);
  const names = new Set(group.names);
  if (names.size === 0) throw new InvalidInputError('A data-ID query needs at least one dimension.', { hint: 'Name dimensions, e.g. visit detector.' });
  const prefix = options.aliasPrefix ?? 't';
  const provider = new Map<string, string>();
  const aliases = new Map<string, string>();
  const tables: string[] = [];
  let query: AnySelect | undefined;

  const join = (table: string, alias: string, columns: readonly string[]): void => {
    const conditions = columns
      .filter((c) => provider.has(c))
      .map((c) => sql<SqlBool>`${sql.ref(`${alias}.${c}`)} = ${sql.ref(provider.get(c) as string)}`);
    if (query === undefined) query = ctx.db.selectFrom(`${table} as ${alias}`);
    else query = query.innerJoin(`${table} as ${alias}`, (j) => (conditions.length > 0 ? j.on(sql<SqlBool>`${sql.join(conditions, sql` AND `)}`) : j.onTrue()));
    for (const c of columns) if (!provider.has(c)) provider.set(c, `${alias}.${c}`);
    tables.push(table);
  };
  const joinElement = (name: string): void => {
    if (aliases.has(name)) return;
    const element = universe.getElement(name);
    const alias = `${prefix}_${name}`;
    aliases.set(name, alias);
    join(elementTable(name), alias, [...elementKeyColumns(universe, name), ...element.impliedColumns.filter((d) => names.has(d))]);
  };

  const overlap = pickOverlap(ctx, names);
  if (overlap) join(overlapTable(overlap[0], overlap[1]), `${prefix}_overlap`, overlapColumns(universe, overlap[0], overlap[1]));
  const leaves = group.required.filter((d) => !group.required.some((o) => o !== d && universe.getElement(o).required.includes(d)));
  for (const d of leaves) joinElement(d);
  for (const e of universe.elements.keys()) if (forced.has(e)) joinElement(e);
  for (let missing = group.names.filter((d) => !provider.has(d)); missing.length > 0; missing = group.names.filter((d) => !provider.has(d))) {
    const implier = group.names.find((e) => !aliases.has(e) && universe.getElement(e).impliedColumns.some((d) => missing.includes(d)) && elementKeyColumns(universe, e).every((c) => provider.has(c)));
    if (implier === undefined) throw new Error(`internal: no table provides dimension(s) ${missing.join(', ')} of {${group.names.join(', ')}}`);
    joinElement(implier);
  }
  for (const element of universe.elements.values()) {
    if (element.key || element.region || aliases.has(element.name)) continue;
    if (elementKeyColumns(universe, element.name).every((c) => names.has(c))) joinElement(element.name);
  }

  const source: ColumnSource = {
    dimension: (d) => (provider.has(d) ? sql.ref(provider.get(d) as string) : undefined),
    elementColumn: (e, c): Expression<unknown> | undefined => (aliases.has(e) ? sql.ref(`${aliases.get(e) as string}.${c}`) : undefined),
    datasetField: () => undefined,
  };
  return { query: query as AnySelect, group, source, tables };
}

/** The overlap table with the most columns that the dimensions fully cover, if any. */
function pickOverlap(ctx: RegistryContext, names: ReadonlySet<string>): readonly [string, string] | undefined {
  let best: readonly [string, string] | undefined;
  let bestSize = 0;
  for (const pair of ctx.universe.overlaps) {
    const columns = overlapColumns(ctx.universe, pair[0], pair[1]);
    if (columns.every((c) => names.has(c)) && columns.length > bestSize) {
      best = pair;
      bestSize = columns.length;
    }
  }
  return best;
}
