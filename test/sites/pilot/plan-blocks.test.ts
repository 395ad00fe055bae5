import { describe, expect, it } from 'vitest';
import { planBlocks, type BlockPlanInput } from '../../../src/sites/pilot/index.js';

const settings = { nodesPerBlock: 1, coresPerNode: 4, minBlocks: 0, maxBlocks: 3, initBlocks: 1, idleSeconds: 10 };
const base: BlockPlanInput = { settings, load: { ready: 0, readyCpus: 0, leasedCpus: 0 }, finished: false, firstRound: false, blocks: [], now: 100_000 };
const running = (id: string, idleSince: number | null = null, drained = false) => ({ id, state: 'running' as const, idleSince, drained });

describe('pilot block planning', () => {
  it('asks for enough blocks for the cores of ready and running jobs, up to maxBlocks', () => {
    expect(planBlocks({ ...base, load: { ready: 5, readyCpus: 5, leasedCpus: 0 } })).toEqual({ submit: 2, release: [] });
    expect(planBlocks({ ...base, load: { ready: 50, readyCpus: 50, leasedCpus: 0 } })).toEqual({ submit: 3, release: [] });
    expect(planBlocks({ ...base, load: { ready: 50, readyCpus: 50, leasedCpus: 4 }, blocks: [running('b1')] })).toEqual({ submit: 2, release: [] });
  });

  it('starts initBlocks in the first round even for little work, and keeps minBlocks', () => {
    expect(planBlocks({ ...base, settings: { ...settings, initBlocks: 2 }, firstRound: true, load: { ready: 1, readyCpus: 1, leasedCpus: 0 } }).submit).toBe(2);
    expect(planBlocks({ ...base, settings: { ...settings, minBlocks: 1 } }).submit).toBe(1);
    expect(planBlocks({ ...base, settings: { ...settings, minBlocks: 1 }, blocks: [running('b1', 0)] })).toEqual({ submit: 0, release: [] });
  });

  it('releases blocks idle for idleSeconds beyond the need, not before, and not while jobs wait', () => {
    expect(planBlocks({ ...base, blocks: [running('b1', 95_000)] }).release).toEqual([]);
    expect(planBlocks({ ...base, blocks: [running('b1', 80_000)] }).release).toEqual(['b1']);
    const busy = { ...base, load: { ready: 0, readyCpus: 0, leasedCpus: 4 }, blocks: [running('b1', null), running('b2', 50_000)] };
    expect(planBlocks(busy)).toEqual({ submit: 0, release: ['b2'] });
    expect(planBlocks({ ...busy, load: { ready: 3, readyCpus: 3, leasedCpus: 4 } }).release).toEqual([]);
  });

  it('replaces a block drained by its walltime with a fresh one, and cancels pending blocks nobody needs', () => {
    expect(planBlocks({ ...base, load: { ready: 2, readyCpus: 2, leasedCpus: 0 }, blocks: [running('b1', 0, true)] })).toEqual({ submit: 1, release: ['b1'] });
    const pending = { id: 'b2', state: 'pending' as const, idleSince: 90_000, drained: false };
    expect(planBlocks({ ...base, load: { ready: 0, readyCpus: 0, leasedCpus: 1 }, blocks: [running('b1'), pending] })).toEqual({ submit: 0, release: ['b2'] });
  });

  it('releases every block once the run has finished', () => {
    expect(planBlocks({ ...base, finished: true, settings: { ...settings, minBlocks: 2 }, blocks: [running('b1'), running('b2')] })).toEqual({ submit: 0, release: ['b1', 'b2'] });
  });
});
