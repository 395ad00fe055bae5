import type { Logger } from '../util/index.js';

/** The stages of `bps-ts submit`, in order. */
export const StageName = ['acquire', 'cluster', 'transform', 'prepare', 'submit'] as const;
/** One of {@link StageName}. */
export type StageName = (typeof StageName)[number];

/** What a stage reports in its completion line. */
export type StageCounts = Readonly<Record<string, number | string | boolean>>;

/**
 * Runs a stage and logs one line when it completes: duration, the stage's counts, whether it
 * reused an artifact, and peak resident memory of the bps-ts process (children excluded).
 */
export async function runStage<T>(stage: StageName, log: Logger, fn: () => Promise<{ value: T; counts: StageCounts }>): Promise<T> {
  const started = performance.now();
  log.info({ stage }, `Starting ${stage} stage`);
  const { value, counts } = await fn();
  const durationMs = Math.round(performance.now() - started);
  const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  const summary = Object.entries(counts).map(([k, v]) => `${k} ${String(v)}`).join(', ');
  log.info({ stage, durationMs, peakRssMiB, ...counts }, `${stage[0]!.toUpperCase()}${stage.slice(1)} stage completed: took ${(durationMs / 1000).toFixed(3)} s; ${summary}; peak memory ${peakRssMiB} MiB`);
  return value;
}
