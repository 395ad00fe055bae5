import type { Region } from '../../geom/index.js';
import type { BinaryNode } from '../../query/index.js';

/** A key value of a dimension element row (`instrument`, `visit`, `detector`...). */
export type KeyValue = string | number;

/**
 * `<element>.region OVERLAPS <constant region>` (either order) found while preparing a
 * where-clause. SQL cannot test spherical overlap, so the element's rows are read and tested
 * before the query is compiled; the term then compiles to `(keys) IN (matching keys)`.
 */
export interface SpatialTerm {
  /** The OVERLAPS node. */
  readonly node: BinaryNode;
  /** The element whose region is constrained (`visit_detector_region`, `patch`...). */
  readonly element: string;
  /** Its key columns, in universe order. */
  readonly keyColumns: readonly string[];
  /** The constant region, built from the function call or bind value. */
  readonly region: Region;
  /** Key values (in `keyColumns` order) of the rows whose region overlaps; unset until resolved. */
  readonly matches?: readonly (readonly KeyValue[])[];
}
