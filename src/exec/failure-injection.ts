import type { GraphDataId } from '../graph/index.js';

/**
 * Whether a task config asks this quantum to fail: `injectFailure: "visit=3 detector=1"` makes
 * every quantum whose data ID has all those values fail (for rehearsing failures and restarts).
 */
export function injectedFailure(config: Readonly<Record<string, unknown>>, dataId: GraphDataId): string | undefined {
  const spec = config['injectFailure'];
  if (typeof spec !== 'string' || spec.trim() === '') return undefined;
  const pairs = spec.trim().split(/[\s;]+/).map((p) => p.split('='));
  const matches = pairs.every(([k, v]) => k !== undefined && v !== undefined && String(dataId[k]) === v.replace(/^'(.*)'$/, '$1'));
  return matches ? `failure injected by config injectFailure="${spec}"` : undefined;
}
