import type { Db } from './db/connect.js';
import type { DialectTraits } from './db/dialect-traits.js';
import type { DimensionUniverse } from './universe.js';

/** Kinds of collection, as in daf_butler. */
export const COLLECTION_TYPES = ['RUN', 'TAGGED', 'CHAINED', 'CALIBRATION'] as const;
/** A kind of collection. */
export type CollectionType = (typeof COLLECTION_TYPES)[number];

/** A collection row. */
export interface CollectionRecord {
  readonly id: number;
  readonly name: string;
  readonly type: CollectionType;
  readonly doc: string | null;
}

/** Caches shared by the managers of one registry instance. */
export interface RegistryCaches {
  collectionsByName: Map<string, CollectionRecord>;
  collectionsById: Map<number, CollectionRecord>;
  datasetTypes: Map<string, StoredDatasetType>;
}

/** A dataset type as stored, with its database id. */
export interface StoredDatasetType {
  readonly id: number;
  readonly name: string;
  /** Required dimensions, in universe order. */
  readonly dimensions: readonly string[];
  readonly storageClass: string;
  readonly isCalibration: boolean;
}

/** What every registry manager function receives: the connection (or transaction) and caches. */
export interface RegistryContext {
  readonly db: Db;
  readonly traits: DialectTraits;
  readonly universe: DimensionUniverse;
  readonly caches: RegistryCaches;
}

/** Empty caches for a new registry instance. */
export function makeCaches(): RegistryCaches {
  return { collectionsByName: new Map(), collectionsById: new Map(), datasetTypes: new Map() };
}

/** Splits `items` into chunks so that a statement binds at most `maxParams` values. */
export function chunk<T>(items: readonly T[], perItem: number, maxParams: number): T[][] {
  const size = Math.max(1, Math.floor(maxParams / Math.max(1, perItem)));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
