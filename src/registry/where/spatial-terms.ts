import type { BinaryNode, WhereExpression } from '../../query/index.js';
import { elementKeyColumns } from '../db/schema.js';
import { evaluateRegion, isRegionCall } from './evaluate-region.js';
import { resolveIdentifier } from './resolve-identifier.js';
import type { SpatialTerm } from './spatial-term.js';
import { failAt } from './where-operand.js';
import type { WhereScope } from './where-scope.js';

const REGION_USE_HINT = 'write e.g. visit_detector_region.region OVERLAPS POINT(150.1, 2.2)';

/**
 * Recognises a spatial OVERLAPS (a side is `x.region` or a region function), checks both
 * sides and builds the constant region. A bare dimension with a region (`visit`, `tract`,
 * `patch`) stands for its region when the other side is a region function or `x.region`.
 * Returns undefined for other OVERLAPS nodes (timespans).
 * @throws WhereClauseError for two region columns, two constants, or a side that is no region.
 */
export function findSpatialTerm(node: BinaryNode, scope: WhereScope): SpatialTerm | undefined {
  const sides = [node.left, node.right] as const;
  if (!sides.some((side) => isRegionCall(side) || explicitRegionElement(side, scope) !== undefined)) return undefined;
  const [left, right] = sides.map((side) => regionColumnElement(side, scope));
  if (left !== undefined && right !== undefined) {
    throw failAt(scope.expression, node, `Comparing two region columns (${left}, ${right}) with OVERLAPS is not supported`,
      'query both dimensions instead: the registry joins visits, detectors, tracts and patches through their materialised overlaps');
  }
  const element = left ?? right;
  if (element === undefined) {
    throw failAt(scope.expression, node, 'OVERLAPS between two constant regions: one side must be a region column', REGION_USE_HINT);
  }
  const constant = left !== undefined ? node.right : node.left;
  return { node, element, keyColumns: elementKeyColumns(scope.universe, element), region: evaluateRegion(constant, scope) };
}

/**
 * Fails for regions standing anywhere but as an operand of OVERLAPS: region functions,
 * `x.region`, and `x.region` on an element without a region.
 */
export function checkRegionPlacement(node: WhereExpression, parent: WhereExpression | null, scope: WhereScope): void {
  const underOverlaps = parent !== null && parent.kind === 'binary' && parent.op === 'OVERLAPS';
  if (isRegionCall(node) && !underOverlaps) {
    throw failAt(scope.expression, node, `${node.name.toUpperCase()}() describes a sky region, which can only be compared with OVERLAPS`, REGION_USE_HINT);
  }
  if (node.kind === 'identifier' && !underOverlaps && explicitRegionElement(node, scope) !== undefined) {
    throw failAt(scope.expression, node, `"${node.name}" is a sky region, which can only be compared with OVERLAPS`, REGION_USE_HINT);
  }
}

/** The element of `x.region` (failing clearly for an element without a region), else undefined. */
function explicitRegionElement(side: WhereExpression, scope: WhereScope): string | undefined {
  if (side.kind !== 'identifier' || side.parts.length !== 2 || side.parts[1] !== 'region') return undefined;
  const element = scope.universe.elements.get(side.parts[0] as string);
  if (element === undefined || Object.hasOwn(scope.bind, side.name)) return undefined;
  if (!element.region) {
    const withRegions = [...scope.universe.elements.values()].filter((e) => e.region).map((e) => `${e.name}.region`);
    throw failAt(scope.expression, side, `Dimension element "${element.name}" has no region`, `regions exist for ${withRegions.join(', ')}`);
  }
  return element.name;
}

/** The element whose region `side` names: `x.region`, or a bare dimension that has a region. */
function regionColumnElement(side: WhereExpression, scope: WhereScope): string | undefined {
  const explicit = explicitRegionElement(side, scope);
  if (explicit !== undefined || side.kind !== 'identifier') return explicit;
  const resolved = resolveIdentifier(side, scope);
  if (resolved.kind === 'bind') return undefined;
  const ref = resolved.ref;
  if (ref.kind === 'region') return ref.element;
  if (ref.kind === 'dimension' && scope.universe.getElement(ref.dimension).region) return ref.dimension;
  const withRegions = [...scope.universe.elements.values()].filter((e) => e.region).map((e) => e.name);
  throw failAt(scope.expression, side, `"${side.name}" has no region to compare with OVERLAPS`, `regions exist for ${withRegions.join(', ')} (write e.g. ${withRegions[0]}.region)`);
}
