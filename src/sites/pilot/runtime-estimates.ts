/**
 * Runtime estimates per job label, from the attempts that succeeded: the longest seen, with
 * a safety factor. A block near the end of its walltime takes a job only if its estimate
 * fits; labels with no finished job yet have no estimate (and are not held back).
 */
export class RuntimeEstimates {
  private readonly longest = new Map<string, number>();

  constructor(private readonly factor = 1.25) {}

  /** Records how long a successful attempt of `label` ran, ms. */
  record(label: string, durationMs: number): void {
    if (!(durationMs >= 0)) return;
    this.longest.set(label, Math.max(this.longest.get(label) ?? 0, durationMs));
  }

  /** Expected runtime of a job of `label`, ms; undefined until one has finished. */
  estimate(label: string): number | undefined {
    const ms = this.longest.get(label);
    return ms === undefined ? undefined : ms * this.factor;
  }

  /** Every estimate, for reports. */
  entries(): [string, number][] {
    return [...this.longest.keys()].map((label) => [label, this.estimate(label)!]);
  }
}
