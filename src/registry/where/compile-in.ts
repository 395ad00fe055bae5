import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { InNode, RangeNode } from '../../query/index.js';
import { rejectSpecial } from './compile-comparison.js';
import type { WhereDialect } from './where-dialect.js';
import {
  convertBound, describeType, failAt, scalarSql, unifyScalars, valueSql,
  type BoolOperand, type Operand, type ScalarOperand,
} from './where-operand.js';

/** Lists longer than this are bound as one array parameter instead of one parameter per item. */
export const BOUND_LIST_THRESHOLD = 1000;

/**
 * `x IN (items)` / `x NOT IN (items)`. Literal and bound items become one parameter list;
 * ranges become `(x BETWEEN a AND b AND (x - a) % s = 0)`; column items `x = column`.
 */
export function compileIn(node: InNode, value: Operand, items: readonly Operand[], context: { expression: string; dialect: WhereDialect }): BoolOperand {
  const { expression } = context;
  rejectSpecial(value, expression);
  if (value.kind !== 'scalar') {
    throw failAt(expression, value.node, `IN needs a single value on its left, found ${value.label ?? 'a condition'}`, 'e.g. visit IN (1, 2, 10..20)');
  }
  const values = new Map<string, string | number>();
  const terms: RawBuilder<SqlBool>[] = [];
  let left = value;
  for (const item of items) {
    if (item.kind === 'range') {
      if (left.type !== 'int') {
        throw failAt(expression, item.node, `Range ${item.label} needs an integer value on the left of IN, found ${left.label} (${describeType(left.type)})`, 'ranges apply to integer fields such as visit or detector');
      }
      terms.push(compileRange(scalarSql(left), item.node as RangeNode));
    } else if (item.kind === 'list') {
      for (const raw of item.values) {
        const converted = convertBound(raw, left.type);
        if (converted === undefined) {
          throw failAt(expression, item.node, `Cannot compare ${left.label} (${describeType(left.type)}) with ${JSON.stringify(raw)} from ${item.label}`, 'bind values of the same type as the field');
        }
        values.set(`${typeof converted}:${converted}`, converted);
      }
    } else if (item.kind === 'scalar') {
      const [a, b] = unifyScalars(left, item, item.node, expression);
      left = a;
      if (b.value !== undefined && b.sql === undefined) values.set(`${typeof b.value}:${b.value}`, b.value);
      else terms.push(sql<SqlBool>`(${scalarSql(a)} = ${scalarSql(b)})`);
    } else {
      rejectSpecial(item, expression);
      throw failAt(expression, item.node, `IN lists hold values, found ${item.label ?? 'a condition'}`);
    }
  }
  if (values.size > 0) terms.unshift(compileValueList(left, [...values.values()], context.dialect));
  const any = terms.length === 1 ? (terms[0] as RawBuilder<SqlBool>) : sql<SqlBool>`(${sql.join(terms, sql` OR `)})`;
  return { kind: 'bool', node, sql: node.negated ? sql<SqlBool>`(NOT ${any})` : any };
}

function compileValueList(left: ScalarOperand, values: readonly (string | number)[], dialect: WhereDialect): RawBuilder<SqlBool> {
  const field = scalarSql(left);
  const listType = left.type === 'int' || left.type === 'time' ? 'int' : left.type === 'float' ? 'float' : 'string';
  if (values.length > BOUND_LIST_THRESHOLD && left.sql !== undefined) return dialect.inBoundList(field, values, listType);
  // Against a column the column types the parameters; a literal on the left needs typed ones.
  const params = values.map((v) => (left.sql !== undefined ? sql`${v}` : valueSql(v, left.type)));
  return sql<SqlBool>`(${field} IN (${sql.join(params)}))`;
}

function compileRange(field: Expression<unknown>, range: RangeNode): RawBuilder<SqlBool> {
  const first = valueSql(range.first, 'int');
  const between = sql<SqlBool>`(${field} BETWEEN ${first} AND ${valueSql(range.last, 'int')})`;
  if (range.stride === null || range.stride === 1) return between;
  return sql<SqlBool>`(${between} AND (${field} - ${first}) % ${valueSql(range.stride, 'int')} = 0)`;
}
