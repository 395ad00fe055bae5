import { ConflictError, InvalidInputError } from '../errors/index.js';
import { COLLECTION_TYPES, type CollectionRecord, type CollectionType, type RegistryContext } from './context.js';
import { globToRegExp, notFound, validateCollectionName } from './names.js';

interface CollectionRow {
  collection_id: number;
  name: string;
  type: string;
  doc: string | null;
}

function toRecord(row: CollectionRow): CollectionRecord {
  return { id: Number(row.collection_id), name: row.name, type: row.type as CollectionType, doc: row.doc };
}

function remember(ctx: RegistryContext, record: CollectionRecord): CollectionRecord {
  ctx.caches.collectionsByName.set(record.name, record);
  ctx.caches.collectionsById.set(record.id, record);
  return record;
}

/** Forgets cached collections (after removals). */
export function forgetCollections(ctx: RegistryContext): void {
  ctx.caches.collectionsByName.clear();
  ctx.caches.collectionsById.clear();
}

/**
 * Registers a collection; registering an existing one of the same type is a no-op returning
 * `created: false`, of another type a ConflictError.
 */
export async function registerCollection(
  ctx: RegistryContext,
  options: { name: string; type: CollectionType; doc?: string; host?: string },
): Promise<{ record: CollectionRecord; created: boolean }> {
  validateCollectionName(options.name);
  if (!COLLECTION_TYPES.includes(options.type)) {
    throw new InvalidInputError(`Collection type "${options.type}" is not one of ${COLLECTION_TYPES.join(', ')}.`);
  }
  const existing = await findCollection(ctx, options.name);
  if (existing) {
    if (existing.type !== options.type) {
      throw new ConflictError(`Collection "${options.name}" already exists as ${existing.type}, not ${options.type}.`, {
        hint: 'Choose another name, or remove the existing collection first.',
      });
    }
    return { record: existing, created: false };
  }
  const row = (await ctx.db
    .insertInto('collection')
    .values({ name: options.name, type: options.type, doc: options.doc ?? null })
    .returning(['collection_id', 'name', 'type', 'doc'])
    .executeTakeFirstOrThrow()) as CollectionRow;
  const record = remember(ctx, toRecord(row));
  if (options.type === 'RUN') {
    await ctx.db.insertInto('run').values({ collection_id: record.id, host: options.host ?? null, timespan_begin: Date.now() * 1000, timespan_end: null }).execute();
  }
  return { record, created: true };
}

/** The collection called `name`, or undefined. */
export async function findCollection(ctx: RegistryContext, name: string): Promise<CollectionRecord | undefined> {
  const cached = ctx.caches.collectionsByName.get(name);
  if (cached) return cached;
  const row = (await ctx.db.selectFrom('collection').selectAll().where('name', '=', name).executeTakeFirst()) as CollectionRow | undefined;
  return row ? remember(ctx, toRecord(row)) : undefined;
}

/** The collection called `name`, or a NotFoundError suggesting the closest existing name. */
export async function getCollection(ctx: RegistryContext, name: string, expected?: CollectionType): Promise<CollectionRecord> {
  const record = await findCollection(ctx, name);
  if (!record) {
    const all = await listCollections(ctx);
    throw notFound('Collection', name, all.map((c) => c.name), 'List existing collections with `butler-ts query-collections REPO`.');
  }
  if (expected && record.type !== expected) {
    throw new ConflictError(`Collection "${name}" is ${record.type}, but a ${expected} collection is needed here.`, {
      hint: `Pass a ${expected} collection (see \`butler-ts query-collections REPO --collection-type ${expected}\`).`,
    });
  }
  return record;
}

/** The collection with database id `id`. */
export async function getCollectionById(ctx: RegistryContext, id: number): Promise<CollectionRecord> {
  const cached = ctx.caches.collectionsById.get(id);
  if (cached) return cached;
  const row = (await ctx.db.selectFrom('collection').selectAll().where('collection_id', '=', id).executeTakeFirstOrThrow()) as CollectionRow;
  return remember(ctx, toRecord(row));
}

/** Every collection, optionally filtered by glob patterns and types, sorted by name. */
export async function listCollections(
  ctx: RegistryContext,
  options: { patterns?: readonly string[]; types?: readonly CollectionType[] } = {},
): Promise<CollectionRecord[]> {
  const rows = (await ctx.db.selectFrom('collection').selectAll().orderBy('name').execute()) as CollectionRow[];
  const res = (options.patterns ?? []).map(globToRegExp);
  return rows
    .map(toRecord)
    .filter((r) => (res.length === 0 || res.some((re) => re.test(r.name))) && (!options.types?.length || options.types.includes(r.type)));
}

/** The children of CHAINED collection `parent`, in search order. */
export async function getChildren(ctx: RegistryContext, parent: CollectionRecord): Promise<CollectionRecord[]> {
  const rows = (await ctx.db
    .selectFrom('collection_chain')
    .select('child_id')
    .where('parent_id', '=', parent.id)
    .orderBy('position')
    .execute()) as { child_id: number }[];
  const out: CollectionRecord[] = [];
  for (const r of rows) out.push(await getCollectionById(ctx, Number(r.child_id)));
  return out;
}

/** The CHAINED collections that list `child` directly. */
export async function getParents(ctx: RegistryContext, child: CollectionRecord): Promise<CollectionRecord[]> {
  const rows = (await ctx.db.selectFrom('collection_chain').select('parent_id').where('child_id', '=', child.id).execute()) as { parent_id: number }[];
  const out: CollectionRecord[] = [];
  for (const r of rows) out.push(await getCollectionById(ctx, Number(r.parent_id)));
  return out;
}

/**
 * Expands a collection search path: chains are replaced by their children recursively; each
 * non-chained collection appears once, at its first position.
 */
export async function flattenCollections(ctx: RegistryContext, names: readonly string[]): Promise<CollectionRecord[]> {
  const out: CollectionRecord[] = [];
  const seen = new Set<number>();
  const visit = async (record: CollectionRecord): Promise<void> => {
    if (record.type === 'CHAINED') {
      for (const child of await getChildren(ctx, record)) await visit(child);
    } else if (!seen.has(record.id)) {
      seen.add(record.id);
      out.push(record);
    }
  };
  for (const name of names) await visit(await getCollection(ctx, name));
  return out;
}

/** Replaces the children of CHAINED `parent`, refusing cycles (the message names the cycle). */
export async function setChain(ctx: RegistryContext, parentName: string, childNames: readonly string[]): Promise<void> {
  const parent = await getCollection(ctx, parentName, 'CHAINED');
  const children: CollectionRecord[] = [];
  for (const name of childNames) {
    const child = await getCollection(ctx, name);
    if (children.some((c) => c.id === child.id)) {
      throw new InvalidInputError(`Collection "${name}" appears twice in the new definition of chain "${parentName}".`, { hint: 'List each child once.' });
    }
    const path = await findPathTo(ctx, child, parent.id, [child.name]);
    if (path) {
      throw new ConflictError(`Adding "${name}" to chain "${parentName}" would make a cycle: ${[parentName, ...path].join(' -> ')}.`, {
        hint: 'A chain may not contain itself, directly or through other chains.',
      });
    }
    children.push(child);
  }
  await ctx.db.deleteFrom('collection_chain').where('parent_id', '=', parent.id).execute();
  if (children.length > 0) {
    await ctx.db
      .insertInto('collection_chain')
      .values(children.map((c, i) => ({ parent_id: parent.id, child_id: c.id, position: i })))
      .execute();
  }
}

async function findPathTo(ctx: RegistryContext, from: CollectionRecord, target: number, path: string[]): Promise<string[] | undefined> {
  if (from.id === target) return path;
  if (from.type !== 'CHAINED') return undefined;
  for (const child of await getChildren(ctx, from)) {
    const found = await findPathTo(ctx, child, target, [...path, child.name]);
    if (found) return found;
  }
  return undefined;
}
