import { InvalidInputError } from '../../errors/index.js';

/** Spaces out actions to at most `perSecond` per second (sbatch submissions, for instance). */
export interface RateLimiter {
  /** Resolves when the next action may start; calls are served in order. */
  acquire(): Promise<void>;
}

/**
 * A limiter that lets one action through every `1000 / perSecond` ms, the first one at once.
 * `perSecond` of 0 or Infinity means no limit. Slurm's controller suffers from bursts of
 * submissions from many clients, so sites throttle sbatch (default set by the site config).
 */
export function createRateLimiter(options: { readonly perSecond: number; readonly now?: () => number }): RateLimiter {
  const { perSecond } = options;
  if (!(perSecond >= 0)) {
    throw new InvalidInputError(`submission rate ${JSON.stringify(perSecond)} is not a number of submissions per second; give 0 (no limit) or a positive number`, { key: 'perSecond' });
  }
  const now = options.now ?? Date.now;
  const interval = perSecond === 0 || perSecond === Infinity ? 0 : 1000 / perSecond;
  let next = 0;
  return {
    async acquire(): Promise<void> {
      if (interval === 0) return;
      const t = now();
      const slot = Math.max(t, next);
      next = slot + interval;
      if (slot > t) await new Promise((resolve) => setTimeout(resolve, slot - t));
    },
  };
}
