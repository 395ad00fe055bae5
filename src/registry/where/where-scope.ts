import type { DimensionUniverse } from '../universe.js';
import type { WhereExpression } from '../../query/index.js';
import type { BindValues } from './bind-values.js';
import type { SpatialTerm } from './spatial-term.js';

/** What identifiers of one where-clause may refer to. */
export interface WhereScope {
  readonly universe: DimensionUniverse;
  /**
   * Dimensions of the query (required and implied). Any dimension may be named; bare field
   * names (`exposure_time`) are looked up in the elements over these dimensions only.
   */
  readonly dimensions: readonly string[];
  /** Dataset types whose fields (`ingest_date`, `run`, `dataset_id`) may be named; empty outside dataset queries. */
  readonly datasetTypes: readonly string[];
  readonly bind: BindValues;
  /** The where-clause text, for error messages. */
  readonly expression: string;
  /**
   * Spatial OVERLAPS terms by node, found when preparing; their matching keys are attached by
   * `resolveSpatialTerms` (which reads the regions) before compilation.
   */
  readonly spatial?: ReadonlyMap<WhereExpression, SpatialTerm>;
}
