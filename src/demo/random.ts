/** A seeded pseudo-random generator (mulberry32) with uniform, normal and Poisson draws. */
export interface Random {
  uniform(): number;
  normal(): number;
  poisson(mean: number): number;
}

/** Deterministic generator for a seed; the same seed gives the same sequence on every platform. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => {
    const u = Math.max(uniform(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
  // Knuth's method for small means, a normal approximation for large ones (it is a demo).
  const poisson = (mean: number) => {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = uniform();
    while (p > limit) {
      k += 1;
      p *= uniform();
    }
    return k;
  };
  return { uniform, normal, poisson };
}
