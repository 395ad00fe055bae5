/** One benchmark figure. */
export interface BenchResult {
  readonly name: string;
  readonly backend: string;
  readonly value: number;
  readonly unit: string;
  /** Target from the issue, in the same unit, if any. */
  readonly target?: number;
  /** Whether lower values are better (times) or higher (rates). */
  readonly lowerIsBetter?: boolean;
  readonly note?: string;
}

/** Runs `fn` and returns its wall time in milliseconds. */
export async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Peak resident set size of this process so far, in MiB. */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}
