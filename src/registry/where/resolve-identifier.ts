import { buildUnknownNameError, WhereClauseError } from '../../query/index.js';
import type { BindNode, IdentifierNode } from '../../query/index.js';
import { elementKeyColumns } from '../db/schema.js';
import type { DimensionElement, DimensionUniverse } from '../universe.js';
import type { BindValue } from './bind-values.js';
import { DATASET_FIELDS, type ColumnRef, type DatasetField } from './column-ref.js';
import type { WhereScope } from './where-scope.js';

/** An identifier resolved: a bound value or a column reference. */
export type ResolvedName = { readonly kind: 'bind'; readonly name: string; readonly value: BindValue } | { readonly kind: 'column'; readonly ref: ColumnRef };

/**
 * Resolves an identifier the way daf_butler does: bind names first, then dimension names
 * (their key), `element.key`/`element.dimension` (a dimension key), `element.field`,
 * `element.timespan[.begin|.end]`, `element.region`, dataset fields (`ingest_date`,
 * `raw.ingest_date`), and unqualified field names when exactly one element of the query has
 * such a field. Unknown and ambiguous names are WhereClauseErrors pointing at the identifier.
 */
export function resolveIdentifier(node: IdentifierNode, scope: WhereScope): ResolvedName {
  const { parts } = node;
  if (parts.length === 1 && Object.hasOwn(scope.bind, node.name)) return { kind: 'bind', name: node.name, value: scope.bind[node.name] as BindValue };
  const column = (ref: ColumnRef): ResolvedName => ({ kind: 'column', ref });
  const universe = scope.universe;
  if (parts.length === 1) {
    if (universe.dimensionNames.includes(node.name)) return column({ kind: 'dimension', dimension: node.name });
    return column(resolveBareField(node, scope));
  }
  const [first = '', second = '', third] = parts;
  const element = universe.elements.get(first);
  if (element && parts.length === 2) return column(resolveElementPart(node, element, second, scope));
  if (element && second === 'timespan' && (third === 'begin' || third === 'end') && element.timespan && parts.length === 3) {
    return column({ kind: 'timespan', element: element.name, bound: third });
  }
  if (element) {
    throw buildUnknownNameError({ node, expression: scope.expression, candidates: listElementNames(universe, element), kind: `${element.name} field` });
  }
  if (parts.length === 2 && (DATASET_FIELDS as readonly string[]).includes(second)) {
    return column(resolveDatasetField(node, scope, second as DatasetField, first));
  }
  throw buildUnknownNameError({
    node,
    expression: scope.expression,
    name: first,
    candidates: [...universe.elements.keys(), ...scope.datasetTypes],
    kind: scope.datasetTypes.length > 0 ? 'dimension element or dataset type' : 'dimension element',
  });
}

/** Resolves `:name`; an unknown name is an error suggesting the closest bind name. */
export function resolveBind(node: BindNode, scope: WhereScope): BindValue {
  if (Object.hasOwn(scope.bind, node.name)) return scope.bind[node.name] as BindValue;
  const names = Object.keys(scope.bind);
  if (names.length === 0) {
    return fail(node, scope, `Bind name ":${node.name}" in where-clause has no value`, `pass one, e.g. --bind ${node.name}=VALUE (a list: --bind ${node.name}=1,2,3)`);
  }
  throw buildUnknownNameError({ node, expression: scope.expression, candidates: names, kind: 'bind name' });
}

function resolveElementPart(node: IdentifierNode, element: DimensionElement, second: string, scope: WhereScope): ColumnRef {
  if (element.key && second === element.key.name) return { kind: 'dimension', dimension: element.name };
  if (element.key && second === element.name) return { kind: 'dimension', dimension: element.name };
  const dims = [...elementKeyColumns(scope.universe, element.name), ...element.impliedColumns];
  if (dims.includes(second)) return { kind: 'dimension', dimension: second };
  if (element.metadata.some((m) => m.name === second)) return { kind: 'field', element: element.name, field: second };
  if (second === 'timespan' && element.timespan) return { kind: 'timespan', element: element.name, bound: null };
  if (second === 'region' && element.region) return { kind: 'region', element: element.name };
  throw buildUnknownNameError({ node, expression: scope.expression, candidates: listElementNames(scope.universe, element), kind: `${element.name} field` });
}

function resolveBareField(node: IdentifierNode, scope: WhereScope): ColumnRef {
  const name = node.name;
  const matches: { ref: ColumnRef; text: string }[] = [];
  for (const element of elementsOver(scope.universe, scope.dimensions)) {
    if (element.metadata.some((m) => m.name === name)) matches.push({ ref: { kind: 'field', element: element.name, field: name }, text: `${element.name}.${name}` });
    if (name === 'timespan' && element.timespan) matches.push({ ref: { kind: 'timespan', element: element.name, bound: null }, text: `${element.name}.timespan` });
    if (name === 'region' && element.region) matches.push({ ref: { kind: 'region', element: element.name }, text: `${element.name}.region` });
  }
  if ((DATASET_FIELDS as readonly string[]).includes(name)) {
    for (const t of scope.datasetTypes) matches.push({ ref: { kind: 'dataset', field: name as DatasetField, datasetType: scope.datasetTypes.length === 1 ? null : t }, text: `${t}.${name}` });
  }
  if (matches.length === 1) return (matches[0] as { ref: ColumnRef }).ref;
  if (matches.length > 1) {
    const listed = matches.map((m) => `"${m.text}"`).join(', ');
    return fail(node, scope, `Ambiguous identifier "${name}" in where-clause: it may mean ${listed}`, `qualify it, e.g. ${(matches[0] as { text: string }).text}`);
  }
  const qualified = [...scope.universe.elements.values()].filter((e) => e.metadata.some((m) => m.name === name)).map((e) => `${e.name}.${name}`);
  if (qualified.length > 0) {
    return fail(node, scope, `Unknown dimension "${name}" in where-clause; fields called "${name}" belong to ${qualified.map((q) => `"${q}"`).join(', ')}`, `qualify it, e.g. ${qualified[0]}`);
  }
  if ((DATASET_FIELDS as readonly string[]).includes(name)) {
    return fail(node, scope, `Dataset field "${name}" can only be used in dataset queries (query-datasets)`, 'drop the condition, or query datasets instead');
  }
  const bareFields = [...elementsOver(scope.universe, scope.dimensions)].flatMap((e) => e.metadata.map((m) => m.name));
  throw buildUnknownNameError({
    node,
    expression: scope.expression,
    candidates: [...scope.universe.dimensionNames, ...Object.keys(scope.bind), ...new Set(bareFields), ...(scope.datasetTypes.length > 0 ? DATASET_FIELDS : [])],
  });
}

function resolveDatasetField(node: IdentifierNode, scope: WhereScope, field: DatasetField, datasetType: string): ColumnRef {
  if (scope.datasetTypes.length === 0) {
    return fail(node, scope, `Dataset field "${node.name}" can only be used in dataset queries (query-datasets)`, 'drop the condition, or query datasets instead');
  }
  if (!scope.datasetTypes.includes(datasetType)) {
    throw buildUnknownNameError({ node, expression: scope.expression, name: datasetType, candidates: scope.datasetTypes, kind: 'dataset type' });
  }
  return { kind: 'dataset', field, datasetType };
}

/** Elements whose keys are all among `dimensions` (dimensions themselves and join elements). */
export function elementsOver(universe: DimensionUniverse, dimensions: readonly string[]): DimensionElement[] {
  const have = new Set(dimensions);
  return [...universe.elements.values()].filter((e) => (e.key ? have.has(e.name) : true) && elementKeyColumns(universe, e.name).every((c) => have.has(c)));
}

function listElementNames(universe: DimensionUniverse, element: DimensionElement): string[] {
  const names = [
    ...(element.key ? [element.key.name] : []),
    ...elementKeyColumns(universe, element.name).filter((c) => c !== element.name),
    ...element.impliedColumns,
    ...element.metadata.map((m) => m.name),
    ...(element.timespan ? ['timespan', 'timespan.begin', 'timespan.end'] : []),
    ...(element.region ? ['region'] : []),
  ];
  return names.map((n) => `${element.name}.${n}`);
}

function fail(node: { start: number; end: number }, scope: WhereScope, reason: string, hint: string): never {
  throw new WhereClauseError(`${reason} (position ${node.start})`, { expression: scope.expression, offset: node.start, length: node.end - node.start, hint });
}
