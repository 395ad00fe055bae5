import type { SourceSpan, WhereExpression } from './ast.js';
import { suggestClosest } from './suggest-closest.js';
import { WhereClauseError, describePosition } from './where-clause-error.js';

/** Options of {@link buildUnknownNameError}. */
export interface UnknownNameErrorOptions {
  /** The node naming the unknown thing (its span is underlined). */
  node: WhereExpression | SourceSpan;
  /** The full where-clause text. */
  expression: string;
  /** Names that would have been accepted; the closest one is suggested. */
  candidates: readonly string[];
  /** What the name should have been, e.g. `dimension` (the default), `column`, `bind name`. */
  kind?: string;
  /** The unknown name; defaults to the node's name, or its source text. */
  name?: string;
}

const MAX_LISTED = 12;

/**
 * Builds the error for a name that does not exist, e.g.
 * `Unknown dimension "vist" in where-clause at position 0. Did you mean "visit"?`
 * followed by the expression with the name underlined. Without a close candidate the hint
 * lists the known names instead.
 */
export function buildUnknownNameError(options: UnknownNameErrorOptions): WhereClauseError {
  const { node, expression, candidates } = options;
  const kind = options.kind ?? 'dimension';
  const name = options.name ?? nameOf(node) ?? expression.slice(node.start, node.end);
  const suggestion = suggestClosest(name, candidates);
  const where = `in where-clause at ${describePosition(expression, node.start)}`;
  const listed = candidates.slice(0, MAX_LISTED).join(', ') + (candidates.length > MAX_LISTED ? ', ...' : '');
  const reason =
    suggestion === undefined
      ? `Unknown ${kind} "${name}" ${where}`
      : `Unknown ${kind} "${name}" ${where}. Did you mean "${suggestion}"?`;
  return new WhereClauseError(reason, {
    expression,
    offset: node.start,
    length: node.end - node.start,
    hint:
      suggestion === undefined
        ? candidates.length === 0
          ? `no ${kind} names are known here`
          : `known ${kind} names: ${listed}`
        : `replace "${name}" with "${suggestion}"`,
  });
}

function nameOf(node: WhereExpression | SourceSpan): string | undefined {
  if (!('kind' in node)) return undefined;
  if (node.kind === 'identifier' || node.kind === 'bind' || node.kind === 'call') return node.name;
  return undefined;
}
