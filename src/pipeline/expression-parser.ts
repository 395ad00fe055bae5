/**
 * A small parser for the Python expression forms used by pipeline contracts, connection
 * conditions and `-c` values: literals, dotted names, comparisons (`==`, `!=`, `<`, `<=`, `>`,
 * `>=`, `in`, `not in`, `is`, `is not`), `and`/`or`/`not`, conditional expressions
 * (`a if cond else b`), unary minus, `+`/`-`, indexing and calls of a few builtins.
 */

/** A node of a parsed expression. */
export type ExpressionNode =
  | { type: 'literal'; value: null | boolean | number | string }
  | { type: 'name'; name: string }
  | { type: 'attribute'; object: ExpressionNode; name: string }
  | { type: 'index'; object: ExpressionNode; index: ExpressionNode }
  | { type: 'call'; callee: ExpressionNode; args: ExpressionNode[] }
  | { type: 'list'; items: ExpressionNode[] }
  | { type: 'dict'; entries: Array<[ExpressionNode, ExpressionNode]> }
  | { type: 'unary'; op: 'not' | '-'; operand: ExpressionNode }
  | { type: 'binary'; op: '+' | '-' | 'and' | 'or'; left: ExpressionNode; right: ExpressionNode }
  | { type: 'compare'; first: ExpressionNode; rest: Array<{ op: CompareOp; right: ExpressionNode }> }
  | { type: 'conditional'; test: ExpressionNode; body: ExpressionNode; orelse: ExpressionNode };

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in' | 'is' | 'is not';

interface Token {
  kind: 'num' | 'str' | 'name' | 'op' | 'end';
  text: string;
  value?: number | string;
  offset: number;
}

/** Raised when an expression is not in the supported subset of Python. */
export class ExpressionSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const OPERATORS = ['==', '!=', '<=', '>=', '<', '>', '(', ')', '[', ']', '{', '}', ',', ':', '.', '+', '-'];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) { i += 1; continue; }
    const rest = text.slice(i);
    const num = /^(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?/.exec(rest);
    if (num && !/^\.[A-Za-z_]/.test(rest)) {
      tokens.push({ kind: 'num', text: num[0], value: Number(num[0]), offset: i });
      i += num[0].length;
      continue;
    }
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      let value = '';
      while (j < text.length && text[j] !== ch) {
        if (text[j] === '\\' && j + 1 < text.length) { value += text[j + 1]; j += 2; continue; }
        value += text[j];
        j += 1;
      }
      if (j >= text.length) throw new ExpressionSyntaxError('unterminated string', i);
      tokens.push({ kind: 'str', text: text.slice(i, j + 1), value, offset: i });
      i = j + 1;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (name) {
      tokens.push({ kind: 'name', text: name[0], offset: i });
      i += name[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => rest.startsWith(o));
    if (op === undefined) throw new ExpressionSyntaxError(`unexpected character '${ch}'`, i);
    tokens.push({ kind: 'op', text: op, offset: i });
    i += op.length;
  }
  tokens.push({ kind: 'end', text: '', offset: text.length });
  return tokens;
}

/** Parses `text` into an expression tree; throws {@link ExpressionSyntaxError}. */
export function parseExpression(text: string): ExpressionNode {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token => tokens[pos] as Token;
  const isWord = (word: string, t: Token = peek()): boolean => t.kind === 'name' && t.text === word;
  const isOp = (op: string, t: Token = peek()): boolean => t.kind === 'op' && t.text === op;
  const next = (): Token => tokens[pos++] as Token;
  const expect = (op: string): void => {
    if (!isOp(op)) throw new ExpressionSyntaxError(`expected '${op}' but found '${peek().text}'`, peek().offset);
    pos += 1;
  };

  const parseTernary = (): ExpressionNode => {
    const body = parseOr();
    if (!isWord('if')) return body;
    next();
    const test = parseOr();
    if (!isWord('else')) throw new ExpressionSyntaxError("expected 'else'", peek().offset);
    next();
    return { type: 'conditional', test, body, orelse: parseTernary() };
  };
  const parseOr = (): ExpressionNode => {
    let left = parseAnd();
    while (isWord('or')) { next(); left = { type: 'binary', op: 'or', left, right: parseAnd() }; }
    return left;
  };
  const parseAnd = (): ExpressionNode => {
    let left = parseNot();
    while (isWord('and')) { next(); left = { type: 'binary', op: 'and', left, right: parseNot() }; }
    return left;
  };
  const parseNot = (): ExpressionNode => {
    if (isWord('not')) { next(); return { type: 'unary', op: 'not', operand: parseNot() }; }
    return parseComparison();
  };
  const readCompareOp = (): CompareOp | undefined => {
    const t = peek();
    if (t.kind === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.text)) { next(); return t.text as CompareOp; }
    if (isWord('in')) { next(); return 'in'; }
    if (isWord('not') && isWord('in', tokens[pos + 1])) { pos += 2; return 'not in'; }
    if (isWord('is')) {
      next();
      if (isWord('not')) { next(); return 'is not'; }
      return 'is';
    }
    return undefined;
  };
  const parseComparison = (): ExpressionNode => {
    const first = parseAdditive();
    const rest: Array<{ op: CompareOp; right: ExpressionNode }> = [];
    for (let op = readCompareOp(); op !== undefined; op = readCompareOp()) rest.push({ op, right: parseAdditive() });
    return rest.length === 0 ? first : { type: 'compare', first, rest };
  };
  const parseAdditive = (): ExpressionNode => {
    let left = parseUnary();
    while (isOp('+') || isOp('-')) {
      const op = next().text as '+' | '-';
      left = { type: 'binary', op, left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): ExpressionNode => {
    if (isOp('-')) { next(); return { type: 'unary', op: '-', operand: parseUnary() }; }
    if (isOp('+')) { next(); return parseUnary(); }
    return parsePostfix();
  };
  const parsePostfix = (): ExpressionNode => {
    let node = parsePrimary();
    for (;;) {
      if (isOp('.')) {
        next();
        const t = next();
        if (t.kind !== 'name') throw new ExpressionSyntaxError('expected a name after "."', t.offset);
        node = { type: 'attribute', object: node, name: t.text };
      } else if (isOp('[')) {
        next();
        const index = parseTernary();
        expect(']');
        node = { type: 'index', object: node, index };
      } else if (isOp('(')) {
        next();
        const args = parseSequence(')');
        node = { type: 'call', callee: node, args };
      } else return node;
    }
  };
  const parseSequence = (close: string): ExpressionNode[] => {
    const items: ExpressionNode[] = [];
    while (!isOp(close)) {
      items.push(parseTernary());
      if (!isOp(',')) break;
      next();
    }
    expect(close);
    return items;
  };
  const parsePrimary = (): ExpressionNode => {
    const t = next();
    if (t.kind === 'num' || t.kind === 'str') {
      let value = t.value as number | string;
      while (t.kind === 'str' && peek().kind === 'str') value += String(next().value);
      return { type: 'literal', value };
    }
    if (t.kind === 'name') {
      if (t.text === 'True') return { type: 'literal', value: true };
      if (t.text === 'False') return { type: 'literal', value: false };
      if (t.text === 'None') return { type: 'literal', value: null };
      return { type: 'name', name: t.text };
    }
    if (isOp('(', t)) {
      const items = parseSequence(')');
      if (items.length === 1 && !isOp(',', tokens[pos - 2])) return items[0] as ExpressionNode;
      return { type: 'list', items };
    }
    if (isOp('[', t)) return { type: 'list', items: parseSequence(']') };
    if (isOp('{', t)) {
      const entries: Array<[ExpressionNode, ExpressionNode]> = [];
      while (!isOp('}')) {
        const key = parseTernary();
        expect(':');
        entries.push([key, parseTernary()]);
        if (!isOp(',')) break;
        next();
      }
      expect('}');
      return { type: 'dict', entries };
    }
    throw new ExpressionSyntaxError(t.kind === 'end' ? 'unexpected end of expression' : `unexpected '${t.text}'`, t.offset);
  };

  const tree = parseTernary();
  if (peek().kind !== 'end') throw new ExpressionSyntaxError(`unexpected '${peek().text}'`, peek().offset);
  return tree;
}
