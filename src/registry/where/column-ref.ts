/** Dataset fields a where-clause may name in dataset queries. */
export const DATASET_FIELDS = ['ingest_date', 'run', 'dataset_id'] as const;
/** A dataset field. */
export type DatasetField = (typeof DATASET_FIELDS)[number];

/**
 * What an identifier of a where-clause names, independent of where the SQL columns come from:
 * the join planner decides which table serves each reference.
 */
export type ColumnRef =
  /** The key of a dimension: `visit`, `visit.id`, `visit.instrument`, `band`. */
  | { readonly kind: 'dimension'; readonly dimension: string }
  /** A metadata field of an element: `visit.exposure_time`, `detector.full_name`. */
  | { readonly kind: 'field'; readonly element: string; readonly field: string }
  /** `visit.timespan` (bound null), `visit.timespan.begin`, `visit.timespan.end`. */
  | { readonly kind: 'timespan'; readonly element: string; readonly bound: 'begin' | 'end' | null }
  /** `visit.region`, `patch.region`. */
  | { readonly kind: 'region'; readonly element: string }
  /** `ingest_date`, `run`, `dataset_id`, or qualified `raw.ingest_date`. */
  | { readonly kind: 'dataset'; readonly field: DatasetField; readonly datasetType: string | null };
