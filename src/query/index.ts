/**
 * The where-clause language of daf_butler: lexer, parser, syntax tree and helpers. Pure: no
 * database, no I/O. The registry compiles the tree to SQL.
 *
 * ```ts
 * const tree = parseWhereClause("instrument = 'HSC' AND visit IN (100..200:2)");
 * if (tree !== null) validateWhereClause(tree, text);
 * ```
 * @packageDocumentation
 */

/** Syntax-tree node types; every node has `kind` and `start`/`end` source offsets. */
export type {
  BinaryNode,
  BinaryOperator,
  BindNode,
  CallNode,
  IdentifierNode,
  InItem,
  InNode,
  LiteralNode,
  NumberLiteralNode,
  RangeNode,
  SourceSpan,
  StringLiteralNode,
  TimeFormat,
  TimeLiteralNode,
  TimeScale,
  TimeValue,
  TupleNode,
  UnaryNode,
  UnaryOperator,
  UuidLiteralNode,
  WhereExpression,
  WhereExpressionKind,
  WhereFunction,
} from './ast.js';

/**
 * Value lists of the tree's string unions: time formats and scales accepted in `T'...'`,
 * known functions, and binary operators by family.
 */
export {
  ARITHMETIC_OPERATORS,
  COMPARISON_OPERATORS,
  LOGICAL_OPERATORS,
  TIME_FORMATS,
  TIME_SCALES,
  WHERE_FUNCTIONS,
} from './ast.js';

/**
 * Parses a where-clause: `null` for an empty expression, else the tree.
 * `parseWhereClause(expression: string): WhereExpression | null`; throws {@link WhereClauseError}.
 */
export { parseWhereClause } from './parse-where-clause.js';

/**
 * Rejects ranges outside `IN`, unknown functions and non-conditions.
 * `validateWhereClause(tree: WhereExpression, expression: string): void`.
 */
export { validateWhereClause } from './validate-where-clause.js';

/** Prints a tree back as text, operands of operators parenthesised: `formatExpression(tree): string`. */
export { formatExpression } from './format-expression.js';

/**
 * Tree traversal: `walkExpression(root, visit)` (pre-order, visitor may return 'skip' or
 * 'stop'), `foldExpression(root, combine)` (bottom-up, iterative), `listChildren(node)`,
 * `findNode(root, test)`.
 */
export { findNode, foldExpression, listChildren, walkExpression } from './walk-expression.js';
/** Return value of a {@link walkExpression} visitor. */
export type { WalkControl } from './walk-expression.js';

/**
 * Converts the text of a `T'...'` literal (without the quotes) to UTC Unix microseconds:
 * `parseTimeLiteral(text: string): TimeValue`; throws {@link WhereClauseError}.
 */
export { parseTimeLiteral } from './time-literal.js';

/** The error of this layer: exit code `ExitCode.expression`, fields `expression`, `offset`, `reason`. */
export { WhereClauseError } from './where-clause-error.js';
/** Constructor options of {@link WhereClauseError}. */
export type { WhereClauseErrorOptions } from './where-clause-error.js';

/**
 * `suggestClosest(name, candidates, options?): string | undefined`: the closest candidate
 * by edit distance (case-insensitive, transpositions count 1), if close enough.
 */
export { suggestClosest } from './suggest-closest.js';
/** Options of {@link suggestClosest}. */
export type { SuggestClosestOptions } from './suggest-closest.js';

/**
 * `buildUnknownNameError({ node, expression, candidates, kind?, name? }): WhereClauseError`:
 * `Unknown dimension "vist" in where-clause at position 0. Did you mean "visit"?`.
 */
export { buildUnknownNameError } from './unknown-name-error.js';
/** Options of {@link buildUnknownNameError}. */
export type { UnknownNameErrorOptions } from './unknown-name-error.js';

/** Short description of a node for error messages, e.g. `string 'x'`, `a comparison`. */
export { describeNode } from './check-call.js';

/** Deepest nesting of parentheses, calls and prefix operators the parser accepts. */
export { MAX_NESTING } from './token-cursor.js';
