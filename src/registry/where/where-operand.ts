import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { WhereClauseError, describeNode, parseTimeLiteral } from '../../query/index.js';
import type { SourceSpan, WhereExpression } from '../../query/index.js';
import type { BindScalar, BindValue } from './bind-values.js';

/** Types of scalar values in the where-clause language. */
export type ScalarType = 'int' | 'float' | 'string' | 'time' | 'uuid';

/** A scalar: a column expression, or a literal/bound value not yet turned into SQL. */
export interface ScalarOperand {
  readonly kind: 'scalar';
  readonly type: ScalarType;
  readonly node: WhereExpression;
  /** Set for columns and computed values. */
  readonly sql?: Expression<unknown>;
  /** Set for literals and bind values (UTC microseconds for times). */
  readonly value?: string | number;
  /** A bind value, which may be converted to the type it is compared with. */
  readonly fromBind?: boolean;
  /** For messages: `visit (integer)`, `string 'abc'`. */
  readonly label: string;
}

/** A condition. */
export interface BoolOperand {
  readonly kind: 'bool';
  readonly node: WhereExpression;
  readonly sql: RawBuilder<SqlBool>;
  readonly label?: string;
}

/** A timespan `[begin, end)`; `nullable` when an end may be NULL (unbounded). */
export interface TimespanOperand {
  readonly kind: 'timespan';
  readonly node: WhereExpression;
  readonly begin: Expression<unknown>;
  readonly end: Expression<unknown>;
  readonly nullable: boolean;
  readonly label: string;
}

/** A bound list, only usable inside `IN (...)`. */
export interface ListOperand {
  readonly kind: 'list';
  readonly node: WhereExpression;
  readonly values: readonly (string | number)[];
  readonly label: string;
}

/** Something the compiler recognises but cannot use where it stands (ranges, regions). */
export interface OtherOperand {
  readonly kind: 'range' | 'region';
  readonly node: WhereExpression;
  readonly label: string;
}

/** The typed result of compiling one node. */
export type Operand = ScalarOperand | BoolOperand | TimespanOperand | ListOperand | OtherOperand;

const TYPE_NAMES: Record<ScalarType, string> = { int: 'integer', float: 'number', string: 'string', time: 'time', uuid: 'UUID' };

/** `integer`, `string`... for messages. */
export function describeType(type: ScalarType): string {
  return TYPE_NAMES[type];
}

/** A WhereClauseError underlining `node`. */
export function failAt(expression: string, node: SourceSpan, reason: string, hint?: string): WhereClauseError {
  return new WhereClauseError(`${reason} in where-clause at position ${node.start}`, {
    expression,
    offset: node.start,
    length: node.end - node.start,
    ...(hint ? { hint } : {}),
  });
}

/** The operand of a literal node. */
export function literalOperand(node: WhereExpression & { kind: 'literal' }): ScalarOperand {
  const label = describeNode(node);
  switch (node.type) {
    case 'string':
      return { kind: 'scalar', type: 'string', node, value: node.value, label };
    case 'number':
      return { kind: 'scalar', type: node.integer ? 'int' : 'float', node, value: node.value, label };
    case 'time':
      return { kind: 'scalar', type: 'time', node, value: node.utcMicros, label };
    case 'uuid':
      return { kind: 'scalar', type: 'uuid', node, value: node.value, label };
  }
}

/** The operand of a bind value (a list stays a list). */
export function bindOperand(node: WhereExpression, name: string, value: BindValue): ScalarOperand | ListOperand {
  const label = `bind value :${name}`;
  if (Array.isArray(value)) return { kind: 'list', node, values: value as readonly (string | number)[], label };
  const scalar = value as BindScalar;
  if (scalar instanceof Date) return { kind: 'scalar', type: 'time', node, value: scalar.getTime() * 1000, fromBind: true, label };
  if (typeof scalar === 'number') {
    return { kind: 'scalar', type: Number.isInteger(scalar) ? 'int' : 'float', node, value: scalar, fromBind: true, label };
  }
  return { kind: 'scalar', type: 'string', node, value: String(scalar), fromBind: true, label };
}

const INT_RE = /^\s*[+-]?\d+\s*$/;
const FLOAT_RE = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/**
 * Converts a bound value to `want` when the text allows it (`'12'` → 12 for an integer
 * column, `12` → `'12'` for a string column, ISO text → time); undefined when it does not.
 */
export function convertBound(value: string | number, want: ScalarType): string | number | undefined {
  if (want === 'string' || want === 'uuid') return String(value);
  if (typeof value === 'number') return want === 'time' || (want === 'int' && !Number.isInteger(value)) ? undefined : value;
  if (want === 'int') return INT_RE.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : undefined;
  if (want === 'float') return FLOAT_RE.test(value) ? Number(value) : undefined;
  try {
    return parseTimeLiteral(value).utcMicros;
  } catch {
    return undefined;
  }
}

/** Which types compare with each other. */
function family(type: ScalarType): 'number' | 'text' | 'time' {
  if (type === 'int' || type === 'float') return 'number';
  return type === 'time' ? 'time' : 'text';
}

/** Whether values of the two types can be compared. */
export function comparable(a: ScalarType, b: ScalarType): boolean {
  return family(a) === family(b);
}

/**
 * Makes two scalars comparable, converting a bound value to the other side's type when
 * needed; throws a type-mismatch error naming both sides otherwise.
 */
export function unifyScalars(a: ScalarOperand, b: ScalarOperand, at: SourceSpan, expression: string): [ScalarOperand, ScalarOperand] {
  if (comparable(a.type, b.type)) return [a, b];
  const convert = (from: ScalarOperand, to: ScalarOperand): ScalarOperand | undefined => {
    if (!from.fromBind || from.value === undefined) return undefined;
    const value = convertBound(from.value, to.type);
    return value === undefined ? undefined : { ...from, type: to.type, value };
  };
  const b2 = convert(b, a);
  if (b2) return [a, b2];
  const a2 = convert(a, b);
  if (a2) return [a2, b];
  const quotedInt = (s: ScalarOperand, other: ScalarOperand): boolean => s.type === 'string' && family(other.type) === 'number' && typeof s.value === 'string' && FLOAT_RE.test(s.value);
  const hint = quotedInt(b, a) || quotedInt(a, b)
    ? `numbers are written without quotes, e.g. ${(quotedInt(b, a) ? b : a).value}`
    : family(a.type) === 'time' || family(b.type) === 'time'
      ? "times are written T'2024-01-02T03:00:00' (UTC) or compared with timespan.begin/end"
      : 'compare values of the same type';
  throw failAt(expression, at, `Cannot compare ${a.label} (${describeType(a.type)}) with ${b.label} (${describeType(b.type)})`, hint);
}

/** SQL for a scalar; literal numbers and times are cast so both databases type them alike. */
export function scalarSql(s: ScalarOperand): Expression<unknown> {
  if (s.sql) return s.sql;
  return valueSql(s.value as string | number, s.type);
}

/** A bound value as typed SQL. */
export function valueSql(value: string | number, type: ScalarType): Expression<unknown> {
  if (type === 'int' || type === 'time') return sql`CAST(${value} AS BIGINT)`;
  if (type === 'float') return sql`CAST(${value} AS DOUBLE PRECISION)`;
  return sql`${value}`;
}
