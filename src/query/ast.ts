/**
 * Abstract syntax tree of a where-clause. Every node carries `start` (inclusive) and `end`
 * (exclusive) character offsets into the original expression text so that later stages
 * (the SQL compiler in the registry) can point at the offending part in their own errors.
 * Parentheses are not kept as nodes: the tree shape already encodes grouping.
 */

/** Character span of a node in the expression text. */
export interface SourceSpan {
  /** Offset of the first character of the node (0-based). */
  readonly start: number;
  /** Offset just past the last character of the node. */
  readonly end: number;
}

/** `'text'`: a string literal; single quotes only, no escapes. */
export interface StringLiteralNode extends SourceSpan {
  readonly kind: 'literal';
  readonly type: 'string';
  readonly value: string;
}

/**
 * A number such as `42`, `-3`, `1.e5` or `.5e-2`. A leading sign written directly before the
 * number is folded into the literal.
 */
export interface NumberLiteralNode extends SourceSpan {
  readonly kind: 'literal';
  readonly type: 'number';
  readonly value: number;
  /** The number as written (sign included, whitespace after the sign removed). */
  readonly text: string;
  /** True when written without a decimal point or exponent. */
  readonly integer: boolean;
}

/** Time formats accepted inside `T'...'`. */
export const TIME_FORMATS = ['iso', 'isot', 'fits', 'yday', 'mjd', 'jd', 'unix'] as const;
/** A time format accepted inside `T'...'`. */
export type TimeFormat = (typeof TIME_FORMATS)[number];

/** Time scales accepted inside `T'...'`. */
export const TIME_SCALES = ['utc', 'tai', 'tt'] as const;
/** A time scale accepted inside `T'...'`. */
export type TimeScale = (typeof TIME_SCALES)[number];

/** A time literal converted to a canonical value. */
export interface TimeValue {
  /** The instant as UTC Unix time in integer microseconds (leap seconds not counted). */
  readonly utcMicros: number;
  /** The text between the quotes, as written. */
  readonly text: string;
  /** The format given or guessed. */
  readonly format: TimeFormat;
  /** The scale given or defaulted (`tai` for mjd/jd, `utc` otherwise). */
  readonly scale: TimeScale;
}

/** `T'2020-01-01T12:00:00'`: a time literal. */
export interface TimeLiteralNode extends SourceSpan, TimeValue {
  readonly kind: 'literal';
  readonly type: 'time';
}

/** `UUID('...')`: a UUID literal, normalised to lower-case 8-4-4-4-12 form. */
export interface UuidLiteralNode extends SourceSpan {
  readonly kind: 'literal';
  readonly type: 'uuid';
  readonly value: string;
}

/** Any literal value. */
export type LiteralNode = StringLiteralNode | NumberLiteralNode | TimeLiteralNode | UuidLiteralNode;

/** `visit`, `visit.day_obs`, `visit.timespan.begin`: one to three dot-separated parts. */
export interface IdentifierNode extends SourceSpan {
  readonly kind: 'identifier';
  readonly parts: readonly string[];
  /** The parts joined by dots. */
  readonly name: string;
}

/** `:name`: a value supplied separately (bind parameter). */
export interface BindNode extends SourceSpan {
  readonly kind: 'bind';
  /** Name without the colon. */
  readonly name: string;
}

/** Unary operators. */
export type UnaryOperator = '+' | '-' | 'NOT';

/** `-x`, `+x`, `NOT x`. */
export interface UnaryNode extends SourceSpan {
  readonly kind: 'unary';
  readonly op: UnaryOperator;
  readonly operand: WhereExpression;
}

/** Logical operators. */
export const LOGICAL_OPERATORS = ['AND', 'OR'] as const;
/** Comparison operators, including the region/timespan `OVERLAPS`. */
export const COMPARISON_OPERATORS = ['=', '!=', '<', '<=', '>', '>=', 'OVERLAPS'] as const;
/** Arithmetic operators. */
export const ARITHMETIC_OPERATORS = ['+', '-', '*', '/', '%'] as const;

/** A binary operator. */
export type BinaryOperator =
  | (typeof LOGICAL_OPERATORS)[number]
  | (typeof COMPARISON_OPERATORS)[number]
  | (typeof ARITHMETIC_OPERATORS)[number];

/** `left op right`. Keywords are upper-case whatever the input case. */
export interface BinaryNode extends SourceSpan {
  readonly kind: 'binary';
  readonly op: BinaryOperator;
  readonly left: WhereExpression;
  readonly right: WhereExpression;
}

/**
 * `first..last` or `first..last:stride`: inclusive integer range with first <= last and
 * stride > 0 (the values are `first`/`last` because `start`/`end` are the source span).
 */
export interface RangeNode extends SourceSpan {
  readonly kind: 'range';
  readonly first: number;
  /** Inclusive. */
  readonly last: number;
  /** `null` when not written (means 1). */
  readonly stride: number | null;
}

/** What an `IN (...)` list may hold (identifiers there have a single part). */
export type InItem = LiteralNode | RangeNode | IdentifierNode | BindNode;

/** `value IN (items)` or `value NOT IN (items)`; at least one item. */
export interface InNode extends SourceSpan {
  readonly kind: 'in';
  readonly negated: boolean;
  readonly value: WhereExpression;
  readonly items: readonly InItem[];
}

/** `(a, b)`: a pair, used for time ranges. */
export interface TupleNode extends SourceSpan {
  readonly kind: 'tuple';
  readonly items: readonly [WhereExpression, WhereExpression];
}

/** Functions the language knows (UUID becomes a {@link UuidLiteralNode}). */
export const WHERE_FUNCTIONS = ['POINT', 'CIRCLE', 'BOX', 'POLYGON', 'REGION', 'GLOB'] as const;
/** A function the language knows. */
export type WhereFunction = (typeof WHERE_FUNCTIONS)[number];

/**
 * `name(args)`. For a known function (`function` not null) the parser has checked arity and
 * argument kinds:
 * - POINT(ra, dec), CIRCLE(ra, dec, radius), BOX(ra, dec, width, height),
 *   POLYGON(ra1, dec1, ra2, dec2, ra3, dec3, ...): numeric expressions (numbers, identifiers,
 *   binds, arithmetic of those);
 * - REGION(pos): a string, bind or identifier;
 * - GLOB(column, pattern): an identifier, then a string or bind.
 * Unknown functions are kept with `function: null`; {@link validateWhereClause} rejects them.
 */
export interface CallNode extends SourceSpan {
  readonly kind: 'call';
  /** The function name as written. */
  readonly name: string;
  readonly function: WhereFunction | null;
  readonly args: readonly WhereExpression[];
}

/** Any node of a where-clause tree. */
export type WhereExpression =
  | LiteralNode
  | IdentifierNode
  | BindNode
  | UnaryNode
  | BinaryNode
  | InNode
  | RangeNode
  | TupleNode
  | CallNode;

/** The `kind` tags of {@link WhereExpression}. */
export type WhereExpressionKind = WhereExpression['kind'];
