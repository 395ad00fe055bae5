/** What a scan of the ready queue does with one job. */
export type QueuePick = 'take' | 'skip' | 'stop';

/**
 * The ready jobs of a run, in order: requeued jobs (retries, lost workers) first, then the
 * others first-in first-out. Taking from the middle leaves a hole that is skipped later, so
 * a scan over tens of thousands of ready jobs costs only what it looks at.
 */
export class ReadyQueue {
  private readonly front: string[] = [];
  private readonly items: (string | undefined)[] = [];
  private head = 0;
  private count = 0;

  /** Jobs in the queue. */
  get length(): number {
    return this.count;
  }

  /** Appends a job that just became ready. */
  pushBack(name: string): void {
    this.items.push(name);
    this.count++;
  }

  /** Puts a job before all others (a retry should not wait behind the whole run). */
  pushFront(name: string): void {
    this.front.push(name);
    this.count++;
  }

  /** Every queued job, in order. */
  toArray(): string[] {
    const rest = this.items.slice(this.head).filter((n): n is string => n !== undefined);
    return [...this.front, ...rest];
  }

  /** Empties the queue and returns what was in it. */
  clear(): string[] {
    const all = this.toArray();
    this.front.length = 0;
    this.items.length = 0;
    this.head = 0;
    this.count = 0;
    return all;
  }

  /**
   * Offers jobs to `pick` in order and removes the ones it takes; stops at `stop`, or after
   * `maxSkips` jobs were skipped (the rest are unlikely to fit either).
   */
  take(pick: (name: string) => QueuePick, maxSkips: number): string[] {
    const taken: string[] = [];
    let skips = 0;
    for (let i = 0; i < this.front.length && skips <= maxSkips; ) {
      const verdict = pick(this.front[i]!);
      if (verdict === 'stop') return this.done(taken);
      if (verdict === 'take') taken.push(...this.front.splice(i, 1));
      else {
        skips++;
        i++;
      }
    }
    for (let i = this.head; i < this.items.length && skips <= maxSkips; i++) {
      const name = this.items[i];
      if (name === undefined) continue;
      const verdict = pick(name);
      if (verdict === 'stop') break;
      if (verdict === 'take') {
        taken.push(name);
        this.items[i] = undefined;
      } else skips++;
    }
    return this.done(taken);
  }

  private done(taken: string[]): string[] {
    this.count -= taken.length;
    while (this.head < this.items.length && this.items[this.head] === undefined) this.head++;
    // Reclaim the consumed prefix now and then instead of shifting on every take.
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
    return taken;
  }
}
