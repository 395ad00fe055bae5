import { parseWhereClause, validateWhereClause, walkExpression } from '../../query/index.js';
import type { WhereExpression } from '../../query/index.js';
import { elementKeyColumns } from '../db/schema.js';
import type { DimensionUniverse } from '../universe.js';
import type { BindValues } from './bind-values.js';
import { resolveBind, resolveIdentifier } from './resolve-identifier.js';
import type { SpatialTerm } from './spatial-term.js';
import { checkRegionPlacement, findSpatialTerm } from './spatial-terms.js';
import type { WhereScope } from './where-scope.js';

/** What a where-clause refers to: the planner joins what serves these. */
export interface WhereReferences {
  /** Dimensions whose key values are named. */
  readonly dimensions: ReadonlySet<string>;
  /** Elements whose table columns (metadata fields, timespans) are named; a region constraint needs only its element's keys. */
  readonly elements: ReadonlySet<string>;
  /** Whether dataset fields (`ingest_date`, `run`, `dataset_id`) are named. */
  readonly datasetFields: boolean;
}

/** A parsed, validated where-clause with every identifier resolved once. */
export interface PreparedWhere {
  /** Null for an empty or blank expression (no constraint). */
  readonly tree: WhereExpression | null;
  readonly scope: WhereScope;
  readonly references: WhereReferences;
}

/** Options of {@link prepareWhereClause}. */
export interface PrepareWhereOptions {
  readonly expression: string;
  readonly bind?: BindValues;
  readonly universe: DimensionUniverse;
  /** Dimensions of the query (bare field names are looked up in their elements). */
  readonly dimensions: readonly string[];
  /** Dataset types of a dataset query (enables dataset fields). */
  readonly datasetTypes?: readonly string[];
}

/**
 * Parses, validates and resolves a where-clause: syntax errors, unknown or ambiguous names,
 * missing bind values and invalid regions are thrown here, before any SQL is built. Spatial
 * terms (`x.region OVERLAPS POINT(...)`) are collected in `scope.spatial`; pass the result
 * through `resolveSpatialTerms` before compiling when the clause has any.
 */
export function prepareWhereClause(options: PrepareWhereOptions): PreparedWhere {
  const spatial = new Map<WhereExpression, SpatialTerm>();
  const scope: WhereScope = {
    universe: options.universe,
    dimensions: options.dimensions,
    datasetTypes: options.datasetTypes ?? [],
    bind: options.bind ?? {},
    expression: options.expression,
    spatial,
  };
  const tree = parseWhereClause(options.expression);
  const dimensions = new Set<string>();
  const elements = new Set<string>();
  let datasetFields = false;
  if (tree !== null) {
    validateWhereClause(tree, options.expression);
    walkExpression(tree, (node, parent) => {
      checkRegionPlacement(node, parent, scope);
      if (node.kind === 'binary' && node.op === 'OVERLAPS') {
        const term = findSpatialTerm(node, scope);
        if (term !== undefined) {
          spatial.set(node, term);
          for (const d of term.keyColumns) dimensions.add(d);
          // The constant side is evaluated already; the region side adds only its element's keys.
          return 'skip';
        }
      }
      if (node.kind === 'bind') resolveBind(node, scope);
      if (node.kind !== 'identifier') return undefined;
      const resolved = resolveIdentifier(node, scope);
      if (resolved.kind === 'bind') return undefined;
      const ref = resolved.ref;
      if (ref.kind === 'dimension') dimensions.add(ref.dimension);
      else if (ref.kind === 'dataset') datasetFields = true;
      else if (ref.kind === 'region') for (const d of elementKeyColumns(options.universe, ref.element)) dimensions.add(d);
      else elements.add(ref.element);
      return undefined;
    });
  }
  return { tree, scope, references: { dimensions, elements, datasetFields } };
}

/** Every dimension a query must hold to serve the references (element keys included). */
export function listReferencedDimensions(universe: DimensionUniverse, references: WhereReferences): string[] {
  const out = new Set(references.dimensions);
  for (const e of references.elements) for (const d of elementKeyColumns(universe, e)) out.add(d);
  return universe.dimensionNames.filter((d) => out.has(d));
}
