import { equalConfigValues, isConfigObject, MISSING } from './config-values.js';
import type { ConfigValue } from './config-values.js';
import type { CompareOp, ExpressionNode } from './expression-parser.js';

/** Outcome of evaluating an expression against configs. */
export type EvaluationResult =
  | { status: 'value'; value: ConfigValue }
  | { status: 'unresolved'; reason: string };

/** Resolves a bare name of an expression; {@link MISSING} when unknown. */
export type NameResolver = (name: string) => ConfigValue | typeof MISSING;

class Unresolved extends Error {}

/** Python truthiness of a value. */
export function isTruthy(value: ConfigValue): boolean {
  if (value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isConfigObject(value)) return Object.keys(value).length > 0;
  return true;
}

function describe(node: ExpressionNode): string {
  if (node.type === 'name') return node.name;
  if (node.type === 'attribute') return `${describe(node.object)}.${node.name}`;
  return node.type;
}

function contains(container: ConfigValue, item: ConfigValue, source: string): boolean {
  if (Array.isArray(container)) return container.some((x) => equalConfigValues(x, item));
  if (typeof container === 'string' && typeof item === 'string') return container.includes(item);
  if (isConfigObject(container) && typeof item === 'string') return item in container;
  throw new Unresolved(`'in' is not supported on the value of ${source}`);
}

function compare(op: CompareOp, a: ConfigValue, b: ConfigValue, source: string): boolean {
  switch (op) {
    case '==':
    case 'is':
      return equalConfigValues(a, b);
    case '!=':
    case 'is not':
      return !equalConfigValues(a, b);
    case 'in':
      return contains(b, a, source);
    case 'not in':
      return !contains(b, a, source);
    default: {
      const ok = (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
      if (!ok) throw new Unresolved(`cannot order ${JSON.stringify(a)} and ${JSON.stringify(b)} in ${source}`);
      const x = a as number | string;
      const y = b as number | string;
      return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
    }
  }
}

function evaluate(node: ExpressionNode, resolve: NameResolver): ConfigValue {
  switch (node.type) {
    case 'literal':
      return node.value;
    case 'name': {
      const v = resolve(node.name);
      if (v === MISSING) throw new Unresolved(`'${node.name}' is not known`);
      return v;
    }
    case 'attribute': {
      const obj = evaluate(node.object, resolve);
      if (!isConfigObject(obj) || !(node.name in obj)) {
        throw new Unresolved(`'${describe(node)}' has no known value (the task catalog does not define it and the pipeline does not set it)`);
      }
      return obj[node.name] as ConfigValue;
    }
    case 'index': {
      const obj = evaluate(node.object, resolve);
      const idx = evaluate(node.index, resolve);
      if (Array.isArray(obj) && typeof idx === 'number' && idx in obj) return obj[idx] as ConfigValue;
      if (isConfigObject(obj) && typeof idx === 'string' && idx in obj) return obj[idx] as ConfigValue;
      throw new Unresolved(`'${describe(node.object)}[${JSON.stringify(idx)}]' has no known value`);
    }
    case 'call': {
      const fn = node.callee.type === 'name' ? node.callee.name : '';
      const args = node.args.map((a) => evaluate(a, resolve));
      const arg = args[0];
      if (fn === 'len' && args.length === 1 && (Array.isArray(arg) || typeof arg === 'string')) return arg.length;
      if (fn === 'len' && args.length === 1 && isConfigObject(arg)) return Object.keys(arg).length;
      if (fn === 'bool' && args.length === 1) return isTruthy(arg as ConfigValue);
      throw new Unresolved(`call of '${describe(node.callee)}' is not supported`);
    }
    case 'list':
      return node.items.map((i) => evaluate(i, resolve));
    case 'dict': {
      const out: Record<string, ConfigValue> = {};
      for (const [k, v] of node.entries) out[String(evaluate(k, resolve))] = evaluate(v, resolve);
      return out;
    }
    case 'unary': {
      const v = evaluate(node.operand, resolve);
      if (node.op === 'not') return !isTruthy(v);
      if (typeof v !== 'number') throw new Unresolved(`cannot negate ${JSON.stringify(v)}`);
      return -v;
    }
    case 'binary': {
      if (node.op === 'and') {
        const l = evaluate(node.left, resolve);
        return isTruthy(l) ? evaluate(node.right, resolve) : l;
      }
      if (node.op === 'or') {
        const l = evaluate(node.left, resolve);
        return isTruthy(l) ? l : evaluate(node.right, resolve);
      }
      const l = evaluate(node.left, resolve);
      const r = evaluate(node.right, resolve);
      if (typeof l === 'number' && typeof r === 'number') return node.op === '+' ? l + r : l - r;
      if (node.op === '+' && typeof l === 'string' && typeof r === 'string') return l + r;
      if (node.op === '+' && Array.isArray(l) && Array.isArray(r)) return [...l, ...r];
      throw new Unresolved(`unsupported operands of '${node.op}'`);
    }
    case 'compare': {
      let left = evaluate(node.first, resolve);
      for (const { op, right } of node.rest) {
        const r = evaluate(right, resolve);
        if (!compare(op, left, r, describe(right))) return false;
        left = r;
      }
      return true;
    }
    case 'conditional':
      return isTruthy(evaluate(node.test, resolve)) ? evaluate(node.body, resolve) : evaluate(node.orelse, resolve);
  }
}

/**
 * Evaluates a parsed expression. Never guesses: a name or config path without a known value,
 * or an operation outside the supported subset, gives `unresolved` with the reason.
 */
export function evaluateExpression(node: ExpressionNode, resolve: NameResolver): EvaluationResult {
  try {
    return { status: 'value', value: evaluate(node, resolve) };
  } catch (err) {
    if (err instanceof Unresolved) return { status: 'unresolved', reason: err.message };
    throw err;
  }
}
