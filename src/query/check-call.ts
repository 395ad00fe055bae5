import { WHERE_FUNCTIONS } from './ast.js';
import type { CallNode, UuidLiteralNode, WhereExpression, WhereFunction } from './ast.js';
import { findNode } from './walk-expression.js';
import { WhereClauseError, describePosition } from './where-clause-error.js';

/** Positional argument names of the geometry functions with a fixed arity. */
const FIXED_ARGS = {
  POINT: ['ra', 'dec'],
  CIRCLE: ['ra', 'dec', 'radius'],
  BOX: ['ra', 'dec', 'width', 'height'],
} as const;

const EXAMPLES: Record<WhereFunction | 'UUID', string> = {
  POINT: 'POINT(150.1, 2.2)',
  CIRCLE: 'CIRCLE(150.1, 2.2, 0.5)',
  BOX: 'BOX(150.1, 2.2, 1.0, 0.5)',
  POLYGON: 'POLYGON(0, 0, 1, 0, 1, 1)',
  REGION: "REGION('CIRCLE 150.1 2.2 0.5')",
  GLOB: "GLOB(group, 'prefix*')",
  UUID: "UUID('e15ab039-bc8b-4135-87c5-90902a7c0b22')",
};

/** Short description of a node for messages: `string '1'`, `a comparison`... */
export function describeNode(node: WhereExpression): string {
  switch (node.kind) {
    case 'literal':
      if (node.type === 'string') return `string '${node.value}'`;
      if (node.type === 'number') return `number ${node.text}`;
      if (node.type === 'time') return `time T'${node.text}'`;
      return `UUID('${node.value}')`;
    case 'identifier':
      return `identifier '${node.name}'`;
    case 'bind':
      return `bind name ':${node.name}'`;
    case 'unary':
      return node.op === 'NOT' ? 'a NOT condition' : `a signed value`;
    case 'binary':
      if (node.op === 'AND' || node.op === 'OR') return `an ${node.op} condition`;
      return ['+', '-', '*', '/', '%'].includes(node.op) ? 'an arithmetic expression' : 'a comparison';
    case 'in':
      return 'an IN expression';
    case 'range':
      return `range ${node.first}..${node.last}`;
    case 'tuple':
      return 'a tuple';
    case 'call':
      return `a call to ${node.name}()`;
  }
}

/** A node that is not allowed inside a numeric argument, if any. */
function findNonNumeric(arg: WhereExpression): WhereExpression | undefined {
  return findNode(arg, (node) => {
    if (node.kind === 'literal') return node.type !== 'number';
    if (node.kind === 'unary') return node.op === 'NOT';
    if (node.kind === 'binary') return !['+', '-', '*', '/', '%'].includes(node.op);
    return node.kind !== 'identifier' && node.kind !== 'bind';
  });
}

/**
 * Checks a call of a known function (arity and argument kinds) and returns the node to keep:
 * the call with `function` set, a UUID literal for `UUID('...')`, or the call unchanged for
 * an unknown function (rejected later by `validateWhereClause`).
 */
export function checkCall(call: CallNode, expression: string): WhereExpression {
  const upper = call.name.toUpperCase();
  const fail = (detail: string, at: WhereExpression = call): WhereClauseError =>
    new WhereClauseError(
      `Invalid call to ${upper} in where-clause at ${describePosition(expression, at.start)}: ${detail}`,
      {
        expression,
        offset: at.start,
        length: at.end - at.start,
        hint: `for example ${EXAMPLES[upper as WhereFunction | 'UUID']}`,
      },
    );
  const { args } = call;
  if (upper === 'UUID') return buildUuid(call, fail);
  if (!(WHERE_FUNCTIONS as readonly string[]).includes(upper)) return call;
  const fn = upper as WhereFunction;

  if (fn === 'POINT' || fn === 'CIRCLE' || fn === 'BOX') {
    const names = FIXED_ARGS[fn];
    if (args.length !== names.length) {
      throw fail(`${fn} takes ${names.length} arguments (${names.join(', ')}), got ${args.length}`);
    }
    args.forEach((arg, i) => requireNumeric(arg, `argument ${i + 1} (${names[i]})`, fail));
  } else if (fn === 'POLYGON') {
    if (args.length < 6 || args.length % 2 !== 0) {
      throw fail(
        `POLYGON takes an even number of arguments, at least 6 (ra1, dec1, ra2, dec2, ra3, dec3, ...), got ${args.length}`,
      );
    }
    args.forEach((arg, i) => requireNumeric(arg, `argument ${i + 1}`, fail));
  } else if (fn === 'REGION') {
    if (args.length !== 1) throw fail(`REGION takes 1 argument (an IVOA POS string), got ${args.length}`);
    const [pos] = args as [WhereExpression];
    const ok = (pos.kind === 'literal' && pos.type === 'string') || pos.kind === 'bind' || pos.kind === 'identifier';
    if (!ok) throw fail(`REGION argument must be a string, a bind name or an identifier, found ${describeNode(pos)}`, pos);
  } else {
    if (args.length !== 2) throw fail(`GLOB takes 2 arguments (column, pattern), got ${args.length}`);
    const [column, pattern] = args as [WhereExpression, WhereExpression];
    if (column.kind !== 'identifier') {
      throw fail(`GLOB first argument must be an identifier (the column to match), found ${describeNode(column)}`, column);
    }
    if (!((pattern.kind === 'literal' && pattern.type === 'string') || pattern.kind === 'bind')) {
      throw fail(`GLOB second argument must be a string or a bind name (the pattern), found ${describeNode(pattern)}`, pattern);
    }
  }
  return { ...call, function: fn };
}

function requireNumeric(
  arg: WhereExpression,
  what: string,
  fail: (detail: string, at?: WhereExpression) => WhereClauseError,
): void {
  const bad = findNonNumeric(arg);
  if (bad === undefined) return;
  const found = bad === arg ? describeNode(bad) : `${describeNode(bad)} inside it`;
  throw fail(`${what} must be a number, an identifier, a bind name or arithmetic on those, found ${found}`, bad);
}

function buildUuid(
  call: CallNode,
  fail: (detail: string, at?: WhereExpression) => WhereClauseError,
): UuidLiteralNode {
  if (call.args.length !== 1) throw fail(`UUID takes 1 argument (a UUID string), got ${call.args.length}`);
  const [arg] = call.args as [WhereExpression];
  if (arg.kind !== 'literal' || arg.type !== 'string') {
    throw fail(`UUID argument must be a string literal, found ${describeNode(arg)}`, arg);
  }
  const hex = arg.value
    .trim()
    .replace(/^urn:/i, '')
    .replace(/^uuid:/i, '')
    .replace(/^\{(.*)\}$/, '$1')
    .replaceAll('-', '')
    .toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) throw fail(`'${arg.value}' is not a valid UUID`, arg);
  const value = [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
  return { kind: 'literal', type: 'uuid', value, start: call.start, end: call.end };
}
