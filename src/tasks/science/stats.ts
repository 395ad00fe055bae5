/** Median of finite values (NaN for none); does not modify the input. */
export function median(values: ArrayLike<number>): number {
  const finite = Array.from(values).filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  const mid = finite.length >> 1;
  return finite.length % 2 === 1 ? finite[mid]! : (finite[mid - 1]! + finite[mid]!) / 2;
}

/** Robust standard deviation: 1.4826 × median absolute deviation. */
export function robustSigma(values: ArrayLike<number>): number {
  const m = median(values);
  return 1.4826 * median(Array.from(values, (v) => Math.abs(v - m)));
}

/** Median and robust sigma after iterative clipping at `nSigma` (default 3, 3 iterations). */
export function clippedStats(values: ArrayLike<number>, nSigma = 3, iterations = 3): { median: number; sigma: number; count: number } {
  let kept = Array.from(values).filter(Number.isFinite);
  let m = median(kept);
  let s = robustSigma(kept);
  for (let i = 0; i < iterations && kept.length > 2 && s > 0; i++) {
    const lo = m - nSigma * s;
    const hi = m + nSigma * s;
    kept = kept.filter((v) => v >= lo && v <= hi);
    m = median(kept);
    s = robustSigma(kept);
  }
  return { median: m, sigma: s, count: kept.length };
}

/** Arithmetic mean of finite values (NaN for none). */
export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  return n === 0 ? Number.NaN : sum / n;
}
