import { GeometryError, makeBox, makeCircle, makePoint, makePolygon, type Region } from '../../geom/index.js';
import { WhereClauseError } from '../../query/index.js';
import type { CallNode, WhereExpression } from '../../query/index.js';
import type { BindValue } from './bind-values.js';
import { parseRegionText } from './parse-region-text.js';
import { resolveBind, resolveIdentifier } from './resolve-identifier.js';
import { failAt } from './where-operand.js';
import type { WhereScope } from './where-scope.js';

/** Functions building a region from numbers or text. */
export const REGION_FUNCTIONS = ['POINT', 'CIRCLE', 'BOX', 'POLYGON', 'REGION'] as const;

/** Whether `node` is a call of a region function. */
export function isRegionCall(node: WhereExpression): node is CallNode {
  return node.kind === 'call' && node.function !== null && (REGION_FUNCTIONS as readonly string[]).includes(node.function);
}

const NUMBER_HINT = 'spatial functions are evaluated before the query runs: give numbers, bind values or arithmetic on them, e.g. POINT(150.1, 2.2) or POINT(:ra, :dec)';
const REGION_HINT = "bind region JSON such as {\"circle\": [150.1, 2.2, 0.5]} or an IVOA POS string such as 'CIRCLE 150.1 2.2 0.5'";

/**
 * The sky region a constant region expression stands for: `POINT(ra, dec)`,
 * `CIRCLE(ra, dec, radius)`, `BOX(ra, dec, width, height)`, `POLYGON(ra1, dec1, ...)`,
 * `REGION('pos')`, or a bind value holding region text (JSON or IVOA POS). Degrees.
 * @throws WhereClauseError underlining the offending argument (a column, a non-number, a
 *   Dec outside [-90, 90], a negative radius, unreadable region text).
 */
export function evaluateRegion(node: WhereExpression, scope: WhereScope): Region {
  if (node.kind === 'call' && node.function === 'REGION') return regionFromText(textArgument(node.args[0] as WhereExpression, scope), node, scope);
  if (node.kind === 'call') {
    const values = node.args.map((arg) => evaluateNumber(arg, scope, node));
    return buildRegion(node, values, scope);
  }
  return regionFromText(textArgument(node, scope), node, scope);
}

function buildRegion(node: CallNode, values: readonly number[], scope: WhereScope): Region {
  const [a = NaN, b = NaN, c = NaN, d = NaN] = values;
  try {
    switch (node.function) {
      case 'POINT':
        return makePoint(a, b);
      case 'CIRCLE':
        if (c < 0) throw failAt(scope.expression, node.args[2] as WhereExpression, `CIRCLE radius must not be negative, got ${c}`, 'the radius is an angle in degrees, e.g. CIRCLE(150.1, 2.2, 0.5)');
        return makeCircle(a, b, c);
      case 'BOX':
        return makeBox(a, b, c, d);
      default: {
        const points = [];
        for (let i = 0; i + 1 < values.length; i += 2) points.push({ ra: values[i] as number, dec: values[i + 1] as number });
        return makePolygon(points);
      }
    }
  } catch (error) {
    if (!(error instanceof GeometryError)) throw error;
    throw geometryFailure(error, node, scope);
  }
}

function regionFromText(text: string, node: WhereExpression, scope: WhereScope): Region {
  try {
    return parseRegionText(text);
  } catch (error) {
    if (!(error instanceof GeometryError)) throw error;
    throw geometryFailure(error, node, scope);
  }
}

function geometryFailure(error: GeometryError, node: WhereExpression, scope: WhereScope): WhereClauseError {
  const reason = error.message.replace(/^[A-Z]+: /, '');
  const name = node.kind === 'call' ? `${node.name.toUpperCase()}()` : 'region value';
  return new WhereClauseError(`Invalid ${name} in where-clause at position ${node.start}: ${reason}`, {
    expression: scope.expression,
    offset: node.start,
    length: node.end - node.start,
    hint: node.kind === 'call' && node.function !== 'REGION' ? 'RA and Dec are in degrees, Dec within [-90, 90]' : REGION_HINT,
    cause: error,
  });
}

/** A number from a literal, a bind value, or arithmetic on those; columns are refused. */
function evaluateNumber(node: WhereExpression, scope: WhereScope, call: CallNode): number {
  const fn = call.name.toUpperCase();
  switch (node.kind) {
    case 'literal':
      if (node.type === 'number') return node.value;
      break;
    case 'bind':
      return bindNumber(resolveBind(node, scope), node, `:${node.name}`, scope, fn);
    case 'identifier': {
      const resolved = resolveIdentifier(node, scope);
      if (resolved.kind === 'bind') return bindNumber(resolved.value, node, node.name, scope, fn);
      throw failAt(scope.expression, node, `${fn}() arguments must be numbers, but "${node.name}" is a column, not a value`, NUMBER_HINT);
    }
    case 'unary':
      if (node.op === '-') return -evaluateNumber(node.operand, scope, call);
      if (node.op === '+') return evaluateNumber(node.operand, scope, call);
      break;
    case 'binary':
      return evaluateArithmetic(node, scope, call);
    default:
      break;
  }
  throw failAt(scope.expression, node, `${fn}() arguments must be numbers`, NUMBER_HINT);
}

function evaluateArithmetic(node: WhereExpression & { kind: 'binary' }, scope: WhereScope, call: CallNode): number {
  const a = evaluateNumber(node.left, scope, call);
  const b = evaluateNumber(node.right, scope, call);
  if ((node.op === '/' || node.op === '%') && b === 0) {
    throw failAt(scope.expression, node, `Division by zero in an argument of ${call.name.toUpperCase()}()`, NUMBER_HINT);
  }
  switch (node.op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return a / b;
    case '%': return a % b;
    default:
      throw failAt(scope.expression, node, `${call.name.toUpperCase()}() arguments must be numbers, found a condition`, NUMBER_HINT);
  }
}

const NUMERIC_TEXT_RE = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

function bindNumber(value: BindValue, node: WhereExpression, name: string, scope: WhereScope, fn: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && NUMERIC_TEXT_RE.test(value)) return Number(value);
  const shown = Array.isArray(value) ? `a list of ${value.length}` : value instanceof Date ? 'a time' : JSON.stringify(value);
  throw failAt(scope.expression, node, `${fn}() arguments must be numbers, but bind value ${name} is ${shown}`, NUMBER_HINT);
}

/** Region text from a string literal, a bind value or an identifier naming a bind value. */
function textArgument(node: WhereExpression, scope: WhereScope): string {
  let value: BindValue | undefined;
  let name = '';
  if (node.kind === 'literal' && node.type === 'string') return node.value;
  if (node.kind === 'bind') {
    value = resolveBind(node, scope);
    name = `:${node.name}`;
  } else if (node.kind === 'identifier') {
    const resolved = resolveIdentifier(node, scope);
    if (resolved.kind !== 'bind') {
      throw failAt(scope.expression, node, `"${node.name}" is a column, but a region value is needed here (comparing two region columns is not supported)`, 'query both dimensions instead: the registry joins visits, detectors, tracts and patches by their overlaps');
    }
    value = resolved.value;
    name = node.name;
  }
  if (typeof value === 'string') return value;
  // `--bind r={"circle":[1,2,3]}` arrives split at its commas; rejoined it is the text again.
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(',');
  const shown = value === undefined ? 'not a region' : Array.isArray(value) ? `bind value ${name} (a list)` : `bind value ${name} (${value instanceof Date ? 'a time' : JSON.stringify(value)})`;
  throw failAt(scope.expression, node, `Expected a region, found ${shown}`, REGION_HINT);
}
