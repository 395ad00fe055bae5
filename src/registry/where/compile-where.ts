import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { describeNode, foldExpression, walkExpression } from '../../query/index.js';
import type { IdentifierNode, WhereExpression } from '../../query/index.js';
import type { FieldType } from '../universe.js';
import type { ColumnRef } from './column-ref.js';
import { compileArithmetic, compileComparison, compileGlob, rejectSpecial } from './compile-comparison.js';
import { compileIn } from './compile-in.js';
import { compileSpatialTerm } from './compile-spatial.js';
import type { ColumnSource } from './column-source.js';
import { resolveBind, resolveIdentifier } from './resolve-identifier.js';
import type { WhereDialect } from './where-dialect.js';
import { bindOperand, convertBound, failAt, literalOperand, scalarSql, valueSql, type Operand, type ScalarType } from './where-operand.js';
import type { WhereScope } from './where-scope.js';

/** Inputs of {@link compileWhereTree}. */
export interface CompileWhereOptions {
  readonly tree: WhereExpression;
  readonly scope: WhereScope;
  readonly source: ColumnSource;
  readonly dialect: WhereDialect;
}

const COMPARISONS = new Set(['=', '!=', '<', '<=', '>', '>=', 'OVERLAPS']);

/**
 * Compiles a validated where-clause tree to one SQL condition. Values only ever travel as
 * bound parameters; identifiers come from the universe through `source`. Bottom-up and
 * iterative, so long AND/OR chains are fine.
 */
export function compileWhereTree(options: CompileWhereOptions): RawBuilder<SqlBool> {
  const { scope, source, dialect } = options;
  const expression = scope.expression;
  const context = { expression, dialect };
  const insideSpatial = listSpatialOperands(scope);
  const result = foldExpression<Operand>(options.tree, (node, children) => {
    // Operands of spatial terms were evaluated when preparing; they have no SQL.
    if (insideSpatial.has(node)) return { kind: 'region', node, label: describeNode(node) };
    switch (node.kind) {
      case 'literal':
        return literalOperand(node);
      case 'identifier':
        return identifierOperand(node, scope, source);
      case 'bind':
        return bindOperand(node, node.name, resolveBind(node, scope));
      case 'range':
        return { kind: 'range', node, label: describeNode(node) };
      case 'unary':
        return compileUnary(node, children[0] as Operand, expression);
      case 'binary': {
        const [left, right] = children as [Operand, Operand];
        if (node.op === 'AND' || node.op === 'OR') return combineLogical(node, node.op, [left, right], expression);
        const term = scope.spatial?.get(node);
        if (term !== undefined) return { kind: 'bool', node, sql: compileSpatialTerm({ term, source, dialect, universe: scope.universe, expression }) };
        if (COMPARISONS.has(node.op)) return compileComparison(node, left, right, expression);
        return compileArithmetic(node, left, right, expression);
      }
      case 'in':
        return compileIn(node, children[0] as Operand, children.slice(1), context);
      case 'tuple':
        return compileTuple(node, children as [Operand, Operand], expression);
      case 'call':
        if (node.function === 'GLOB') return compileGlob(node, children, context);
        return { kind: 'region', node, label: `${node.name.toUpperCase()}()` };
    }
  });
  return requireCondition(result, expression);
}

/** Every node below a spatial term (its region column and constant region). */
function listSpatialOperands(scope: WhereScope): Set<WhereExpression> {
  const inside = new Set<WhereExpression>();
  for (const node of scope.spatial?.keys() ?? []) {
    if (node.kind !== 'binary') continue;
    for (const side of [node.left, node.right]) {
      walkExpression(side, (n) => {
        inside.add(n);
      });
    }
  }
  return inside;
}

/** Terms of AND/OR chains, collected flat so the SQL nests logarithmically, not linearly. */
const chains = new WeakMap<Operand, { op: 'AND' | 'OR'; terms: RawBuilder<SqlBool>[] }>();
const CHAIN_WIDTH = 8;

function combineLogical(node: WhereExpression, op: 'AND' | 'OR', operands: readonly Operand[], expression: string): Operand {
  const terms: RawBuilder<SqlBool>[] = [];
  for (const operand of operands) {
    const chain = chains.get(operand);
    if (chain !== undefined && chain.op === op) {
      for (const t of chain.terms) terms.push(t);
    } else {
      terms.push(requireCondition(operand, expression));
    }
  }
  let built: RawBuilder<SqlBool> | undefined;
  const result: Operand = {
    kind: 'bool',
    node,
    get sql(): RawBuilder<SqlBool> {
      built ??= joinBalanced(terms, op);
      return built;
    },
  };
  chains.set(result, { op, terms });
  return result;
}

/** `(a OR b OR ...)` as a tree of groups of at most CHAIN_WIDTH terms (SQLite limits expression depth). */
function joinBalanced(terms: readonly RawBuilder<SqlBool>[], op: 'AND' | 'OR'): RawBuilder<SqlBool> {
  const separator = sql` ${sql.raw(op)} `;
  let level = terms;
  while (level.length > CHAIN_WIDTH) {
    const next: RawBuilder<SqlBool>[] = [];
    for (let i = 0; i < level.length; i += CHAIN_WIDTH) next.push(sql<SqlBool>`(${sql.join(level.slice(i, i + CHAIN_WIDTH), separator)})`);
    level = next;
  }
  return sql<SqlBool>`(${sql.join(level, separator)})`;
}

function requireCondition(op: Operand, expression: string): RawBuilder<SqlBool> {
  if (op.kind === 'bool') return op.sql;
  rejectSpecial(op, expression);
  throw failAt(expression, op.node, `Expected a condition such as visit = 1, found ${op.label ?? 'a condition'}`, 'compare the value with something, e.g. visit > 100');
}

function compileUnary(node: WhereExpression & { kind: 'unary' }, operand: Operand, expression: string): Operand {
  if (node.op === 'NOT') return { kind: 'bool', node, sql: sql<SqlBool>`(NOT ${requireCondition(operand, expression)})` };
  rejectSpecial(operand, expression);
  if (operand.kind !== 'scalar' || (operand.type !== 'int' && operand.type !== 'float')) {
    throw failAt(expression, node, `Sign ${node.op} needs a number, found ${operand.label ?? 'a condition'}`);
  }
  if (node.op === '+') return operand;
  if (operand.value !== undefined && operand.sql === undefined) return { ...operand, node, value: -(operand.value as number) };
  return { kind: 'scalar', type: operand.type, node, sql: sql`(- ${operand.sql})`, label: 'a negated value' };
}

function compileTuple(node: WhereExpression & { kind: 'tuple' }, items: [Operand, Operand], expression: string): Operand {
  const [begin, end] = items.map((item) => tupleBound(item, expression)) as [Expression<unknown>, Expression<unknown>];
  const nullable = items.some((i) => i.kind === 'scalar' && i.sql !== undefined);
  return { kind: 'timespan', node, begin, end, nullable, label: 'a timespan tuple' };
}

function tupleBound(item: Operand, expression: string): Expression<unknown> {
  rejectSpecial(item, expression);
  if (item.kind === 'scalar' && item.type === 'time') return scalarSql(item);
  if (item.kind === 'scalar' && item.fromBind && item.value !== undefined) {
    const micros = convertBound(item.value, 'time');
    if (micros !== undefined) return valueSql(micros, 'time');
  }
  throw failAt(expression, item.node, `Timespan tuples hold two times, found ${item.label ?? 'a condition'}`, "write e.g. (T'2024-01-01T00:00:00', T'2024-01-02T00:00:00')");
}

const FIELD_TYPES: Record<FieldType, ScalarType> = { int: 'int', float: 'float', string: 'string' };

function identifierOperand(node: IdentifierNode, scope: WhereScope, source: ColumnSource): Operand {
  const resolved = resolveIdentifier(node, scope);
  if (resolved.kind === 'bind') return bindOperand(node, resolved.name, resolved.value);
  return columnOperand(node, resolved.ref, scope, source);
}

function columnOperand(node: IdentifierNode, ref: ColumnRef, scope: WhereScope, source: ColumnSource): Operand {
  const universe = scope.universe;
  const missing = (): never => {
    throw new Error(`internal: the query planner did not provide ${JSON.stringify(ref)} for "${node.name}"`);
  };
  switch (ref.kind) {
    case 'dimension': {
      const type = FIELD_TYPES[universe.getDimension(ref.dimension).key.type];
      return { kind: 'scalar', type, node, sql: source.dimension(ref.dimension) ?? missing(), label: node.name };
    }
    case 'field': {
      const spec = universe.getElement(ref.element).metadata.find((m) => m.name === ref.field);
      const type = FIELD_TYPES[spec?.type ?? 'string'];
      return { kind: 'scalar', type, node, sql: source.elementColumn(ref.element, ref.field) ?? missing(), label: node.name };
    }
    case 'timespan': {
      const begin = source.elementColumn(ref.element, 'timespan_begin') ?? missing();
      const end = source.elementColumn(ref.element, 'timespan_end') ?? missing();
      if (ref.bound === null) return { kind: 'timespan', node, begin, end, nullable: true, label: node.name };
      return { kind: 'scalar', type: 'time', node, sql: ref.bound === 'begin' ? begin : end, label: node.name };
    }
    case 'region':
      return { kind: 'region', node, label: node.name };
    case 'dataset': {
      const type: ScalarType = ref.field === 'ingest_date' ? 'time' : ref.field === 'dataset_id' ? 'uuid' : 'string';
      return { kind: 'scalar', type, node, sql: source.datasetField(ref.field, ref.datasetType) ?? missing(), label: node.name };
    }
  }
}
