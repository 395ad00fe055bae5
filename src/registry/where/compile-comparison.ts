import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { BinaryNode, CallNode, WhereExpression } from '../../query/index.js';
import {
  describeType, failAt, scalarSql, unifyScalars, valueSql,
  type BoolOperand, type Operand, type ScalarOperand, type TimespanOperand,
} from './where-operand.js';
import type { WhereDialect } from './where-dialect.js';

const SQL_COMPARISON: Record<string, string> = { '=': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
const SPATIAL_HINT = 'write e.g. visit_detector_region.region OVERLAPS POINT(150.1, 2.2)';

/** Fails for regions and ranges standing where a value is needed. */
export function rejectSpecial(op: Operand, expression: string): asserts op is ScalarOperand | BoolOperand | TimespanOperand {
  if (op.kind === 'region') throw failAt(expression, op.node, `The sky region ${op.label} can only be compared with OVERLAPS`, SPATIAL_HINT);
  if (op.kind === 'range') throw failAt(expression, op.node, `Range ${op.label} is only allowed inside IN (...)`);
  if (op.kind === 'list') throw failAt(expression, op.node, `The list ${op.label} is only allowed inside IN (...)`, 'write x IN (:name)');
}

/** `a op b` for `=`, `!=`, `<`, `<=`, `>`, `>=`, `OVERLAPS`. */
export function compileComparison(node: BinaryNode, left: Operand, right: Operand, expression: string): BoolOperand {
  rejectSpecial(left, expression);
  rejectSpecial(right, expression);
  if (left.kind === 'bool' || right.kind === 'bool') {
    throw failAt(expression, left.kind === 'bool' ? left.node : right.node, `Cannot use a condition as a value of ${node.op}`, 'compare a field with a value, e.g. visit = 12');
  }
  if (node.op === 'OVERLAPS') return compileOverlaps(node, left, right, expression);
  if (left.kind === 'timespan' || right.kind === 'timespan') return compileTimespanOrder(node, left, right, expression);
  const [a, b] = unifyScalars(left, right, node, expression);
  if (a.value !== undefined && b.value !== undefined && a.type !== b.type && !a.sql && !b.sql) {
    // Two literals of different numeric types: cast both alike so PostgreSQL can compare.
    return bool(node, sql<SqlBool>`(${valueSql(a.value, 'float')} ${sql.raw(SQL_COMPARISON[node.op] as string)} ${valueSql(b.value, 'float')})`);
  }
  return bool(node, sql<SqlBool>`(${scalarSql(a)} ${sql.raw(SQL_COMPARISON[node.op] as string)} ${scalarSql(b)})`);
}

function bool(node: WhereExpression, condition: RawBuilder<SqlBool>): BoolOperand {
  return { kind: 'bool', node, sql: condition };
}

/** A time or timespan as a timespan; an instant t is `[t, t + 1µs)`. */
function asTimespan(op: ScalarOperand | TimespanOperand, node: BinaryNode, expression: string): TimespanOperand {
  if (op.kind === 'timespan') return op;
  if (op.type !== 'time') {
    throw failAt(expression, op.node, `${node.op} needs times or timespans, found ${op.label} (${describeType(op.type)})`, "write e.g. visit.timespan OVERLAPS (T'2024-01-01', T'2024-01-02')");
  }
  const end = op.value !== undefined ? valueSql((op.value as number) + 1, 'time') : sql`(${op.sql} + 1)`;
  return { kind: 'timespan', node: op.node, begin: scalarSql(op), end, nullable: op.value === undefined, label: op.label };
}

function compileOverlaps(node: BinaryNode, left: ScalarOperand | TimespanOperand, right: ScalarOperand | TimespanOperand, expression: string): BoolOperand {
  if (left.kind !== 'timespan' && right.kind !== 'timespan') {
    throw failAt(expression, node, `OVERLAPS needs a timespan on one side, found ${left.label} and ${right.label}`, "write e.g. day_obs.timespan OVERLAPS (T'2024-01-01', T'2024-01-02')");
  }
  const a = asTimespan(left, node, expression);
  const b = asTimespan(right, node, expression);
  return bool(node, sql<SqlBool>`(${before(b, a)} AND ${before(a, b)})`);
}

/** `x.begin < y.end` with an unbounded (NULL) end counting as "true". */
function before(x: TimespanOperand, y: TimespanOperand): RawBuilder<SqlBool> {
  const nulls = [...(x.nullable ? [sql`${x.begin} IS NULL`] : []), ...(y.nullable ? [sql`${y.end} IS NULL`] : [])];
  if (nulls.length === 0) return sql<SqlBool>`(${x.begin} < ${y.end})`;
  return sql<SqlBool>`(${sql.join([...nulls, sql`${x.begin} < ${y.end}`], sql` OR `)})`;
}

/** `timespan < time` (ends before), `timespan > time` (begins after), and timespan/timespan alike. */
function compileTimespanOrder(node: BinaryNode, left: ScalarOperand | TimespanOperand, right: ScalarOperand | TimespanOperand, expression: string): BoolOperand {
  if (node.op !== '<' && node.op !== '>') {
    throw failAt(expression, node, `Timespans cannot be compared with ${node.op}`, "use OVERLAPS, <, >, or compare timespan.begin / timespan.end with a time");
  }
  const a = asTimespan(left, node, expression);
  const b = asTimespan(right, node, expression);
  const [first, second] = node.op === '<' ? [a, b] : [b, a];
  return bool(node, sql<SqlBool>`(${first.end} <= ${second.begin})`);
}

const SQL_ARITHMETIC: Record<string, string> = { '+': '+', '-': '-', '*': '*', '/': '/', '%': '%' };

/** `a + b`, `a - b`, `a * b`, `a / b` (NULL on division by zero on both databases), `a % b` (integers). */
export function compileArithmetic(node: BinaryNode, left: Operand, right: Operand, expression: string): ScalarOperand {
  const operands = [left, right].map((op) => {
    rejectSpecial(op, expression);
    if (op.kind !== 'scalar' || (op.type !== 'int' && op.type !== 'float' && !(op.fromBind && op.value !== undefined))) {
      throw failAt(expression, op.node, `Arithmetic needs numbers, found ${op.label ?? 'a condition'}${op.kind === 'scalar' ? ` (${describeType(op.type)})` : ''}`);
    }
    if (op.type === 'int' || op.type === 'float') return op;
    const n = Number(op.value);
    if (!Number.isFinite(n)) throw failAt(expression, op.node, `Arithmetic needs numbers, found ${op.label} ("${String(op.value)}")`);
    return { ...op, type: Number.isInteger(n) ? 'int' : 'float', value: n } as ScalarOperand;
  }) as [ScalarOperand, ScalarOperand];
  const [a, b] = operands;
  const type = a.type === 'int' && b.type === 'int' ? 'int' : 'float';
  if (node.op === '%' && type !== 'int') {
    throw failAt(expression, node, `The remainder operator % needs integers, found ${describeType(a.type)} % ${describeType(b.type)}`);
  }
  const op = sql.raw(SQL_ARITHMETIC[node.op] as string);
  const rhs: Expression<unknown> = node.op === '/' || node.op === '%' ? sql`NULLIF(${scalarSql(b)}, 0)` : scalarSql(b);
  return { kind: 'scalar', type, node, sql: sql`(${scalarSql(a)} ${op} ${rhs})`, label: 'an arithmetic expression' };
}

/** `GLOB(field, 'pattern')`: `*` and `?` wildcards, case-sensitive, on string fields. */
export function compileGlob(node: CallNode, args: readonly Operand[], context: { expression: string; dialect: WhereDialect }): BoolOperand {
  const [field, pattern] = args as [Operand, Operand];
  rejectSpecial(field, context.expression);
  if (field.kind !== 'scalar' || field.sql === undefined || (field.type !== 'string' && field.type !== 'uuid')) {
    const what = field.kind === 'scalar' ? `${field.label} (${describeType(field.type)})` : (field.label ?? 'a condition');
    throw failAt(context.expression, field.node, `GLOB needs a string field as its first argument, found ${what}`, "e.g. GLOB(detector.full_name, '1_*')");
  }
  if (pattern.kind !== 'scalar' || pattern.value === undefined) {
    throw failAt(context.expression, pattern.node, `GLOB needs a string pattern as its second argument, found ${pattern.label ?? 'a condition'}`, "e.g. GLOB(detector.full_name, '1_*')");
  }
  return bool(node, context.dialect.glob(field.sql, String(pattern.value)));
}
