import { describe, expect, it } from 'vitest';
import { ReadyQueue } from '../../../src/sites/pilot/index.js';

describe('pilot ready queue', () => {
  it('serves requeued jobs first, then the others in arrival order', () => {
    const q = new ReadyQueue();
    for (const n of ['a', 'b', 'c']) q.pushBack(n);
    q.pushFront('retry');
    expect(q.length).toBe(4);
    expect(q.take(() => 'take', 10)).toEqual(['retry', 'a', 'b', 'c']);
    expect(q.length).toBe(0);
  });

  it('takes from the middle, keeps the order of what it skipped, and stops when told', () => {
    const q = new ReadyQueue();
    for (const n of ['big1', 'small1', 'big2', 'small2', 'small3']) q.pushBack(n);
    expect(q.take((n) => (n.startsWith('small') ? 'take' : 'skip'), 10)).toEqual(['small1', 'small2', 'small3']);
    expect(q.toArray()).toEqual(['big1', 'big2']);
    q.pushBack('small4');
    expect(q.take((n) => (n === 'big2' ? 'stop' : 'take'), 10)).toEqual(['big1']);
    expect(q.toArray()).toEqual(['big2', 'small4']);
  });

  it('gives up after maxSkips refusals so a full worker costs little on a long queue', () => {
    const q = new ReadyQueue();
    for (let i = 0; i < 10_000; i++) q.pushBack(`j${i}`);
    let looked = 0;
    expect(q.take(() => (looked++, 'skip'), 5)).toEqual([]);
    expect(looked).toBe(6);
    expect(q.length).toBe(10_000);
  });

  it('stays consistent over many takes from the front (space of taken jobs reclaimed)', () => {
    const q = new ReadyQueue();
    for (let i = 0; i < 20_000; i++) q.pushBack(`j${i}`);
    const taken: string[] = [];
    while (q.length > 0) taken.push(...q.take((() => { let n = 0; return () => (n++ < 3 ? 'take' : 'stop'); })(), 0));
    expect(taken).toHaveLength(20_000);
    expect(taken[0]).toBe('j0');
    expect(taken.at(-1)).toBe('j19999');
    expect(new Set(taken).size).toBe(20_000);
  });
});
