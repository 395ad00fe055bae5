import { InvalidInputError } from '../errors/index.js';
import { chunk, type RegistryContext } from './context.js';
import { formatDataId, type DataId } from './data-id.js';
import { elementTable } from './db/schema.js';
import { keysIn } from './key-match.js';

/**
 * Checks that every dimension value of the data IDs has a record in the registry (the
 * equivalent of daf_butler's foreign keys); the error names the first missing one.
 */
export async function checkDimensionRecordsExist(ctx: RegistryContext, required: readonly string[], dataIds: readonly DataId[]): Promise<void> {
  for (const dim of required) {
    const keyCols = ctx.universe.getElement(dim).required;
    const wanted = new Map<string, DataId>();
    for (const d of dataIds) wanted.set(JSON.stringify(keyCols.map((c) => d[c])), d);
    if (wanted.size === 0) continue;
    const found = new Set<string>();
    for (const part of chunk([...wanted.values()], keyCols.length, ctx.traits.maxParameters)) {
      const q = ctx.db.selectFrom(elementTable(dim)).select(keyCols as string[]).where((eb) => keysIn(eb, keyCols, part));
      for (const row of (await q.execute()) as Record<string, string | number>[]) {
        found.add(JSON.stringify(keyCols.map((c) => row[c])));
      }
    }
    for (const [key, d] of wanted) {
      if (!found.has(key)) {
        const value = Object.fromEntries(keyCols.map((c) => [c, d[c]]));
        throw new InvalidInputError(`Data ID ${formatDataId(d)} refers to ${dim} ${formatDataId(value)}, which has no record in the registry.`, {
          hint: `Insert the ${dim} record first (register-instrument, ingest-raws, define-visits, register-skymap, or import).`,
        });
      }
    }
  }
}
