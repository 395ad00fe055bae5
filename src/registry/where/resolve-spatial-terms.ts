import { GeometryError, regionFromJson, regionsOverlap, type Region } from '../../geom/index.js';
import type { WhereExpression } from '../../query/index.js';
import type { RegistryContext } from '../context.js';
import { elementTable } from '../db/schema.js';
import type { PreparedWhere } from './prepare-where.js';
import type { KeyValue, SpatialTerm } from './spatial-term.js';

interface RegionRow {
  readonly keys: readonly KeyValue[];
  readonly region: Region;
}

/**
 * Resolves the spatial terms of a prepared where-clause: reads the key columns and region of
 * every row of each constrained element once (rows without a region never match), tests each
 * against the term's region with exact spherical geometry, and returns the prepared clause
 * with the matching keys attached, ready for the synchronous SQL compilation. A clause
 * without spatial terms is returned as is.
 */
export async function resolveSpatialTerms(ctx: RegistryContext, prepared: PreparedWhere): Promise<PreparedWhere> {
  const [resolved] = await resolveSpatialTermsOfEach(ctx, [prepared]);
  return resolved as PreparedWhere;
}

/** {@link resolveSpatialTerms} for several clauses, reading each element's regions once. */
export async function resolveSpatialTermsOfEach(ctx: RegistryContext, clauses: readonly PreparedWhere[]): Promise<PreparedWhere[]> {
  const rowsByElement = new Map<string, readonly RegionRow[]>();
  const out: PreparedWhere[] = [];
  for (const prepared of clauses) {
    const terms = prepared.scope.spatial;
    if (terms === undefined || terms.size === 0) {
      out.push(prepared);
      continue;
    }
    const resolved = new Map<WhereExpression, SpatialTerm>();
    for (const [node, term] of terms) {
      let rows = rowsByElement.get(term.element);
      if (rows === undefined) {
        rows = await readRegions(ctx, term);
        rowsByElement.set(term.element, rows);
      }
      resolved.set(node, { ...term, matches: rows.filter((row) => regionsOverlap(row.region, term.region)).map((row) => row.keys) });
    }
    out.push({ ...prepared, scope: { ...prepared.scope, spatial: resolved } });
  }
  return out;
}

async function readRegions(ctx: RegistryContext, term: SpatialTerm): Promise<RegionRow[]> {
  const rows = (await ctx.db
    .selectFrom(elementTable(term.element))
    .select([...term.keyColumns, 'region'])
    .where('region', 'is not', null)
    .execute()) as Record<string, unknown>[];
  return rows.map((row) => {
    const keys = term.keyColumns.map((c) => toKeyValue(row[c]));
    try {
      return { keys, region: regionFromJson(row['region'] as string) };
    } catch (error) {
      const id = term.keyColumns.map((c, i) => `${c}=${String(keys[i])}`).join(', ');
      throw new GeometryError(`The stored region of ${term.element} {${id}} cannot be read: ${(error as Error).message}`, {
        value: String(row['region']),
        hint: `re-register the ${term.element} record with a valid region`,
        cause: error,
      });
    }
  });
}

function toKeyValue(value: unknown): KeyValue {
  return typeof value === 'bigint' ? Number(value) : (value as KeyValue);
}
