import type { PilotSiteSettings } from './pilot-settings.js';

/** A block as the planner sees it. */
export interface PlannedBlock {
  readonly id: string;
  readonly state: 'pending' | 'running';
  /** Since when no worker of the block has held a job (epoch ms); null while busy. */
  readonly idleSince: number | null;
  /** Its workers reached the coordinator but no ready job fits their remaining walltime. */
  readonly drained: boolean;
}

/** What {@link planBlocks} looks at. */
export interface BlockPlanInput {
  readonly settings: Pick<PilotSiteSettings, 'nodesPerBlock' | 'coresPerNode' | 'minBlocks' | 'maxBlocks' | 'initBlocks' | 'idleSeconds'>;
  /** Ready jobs and the cores they ask for, and the cores of the jobs running. */
  readonly load: { readonly ready: number; readonly readyCpus: number; readonly leasedCpus: number };
  /** Every job has ended: release everything. */
  readonly finished: boolean;
  /** No block has been submitted yet in this coordinator: start `initBlocks`. */
  readonly firstRound: boolean;
  /** Blocks not yet ended. */
  readonly blocks: readonly PlannedBlock[];
  readonly now: number;
}

/** What to do: submit this many new blocks, release (scancel) these. */
export interface BlockPlan {
  readonly submit: number;
  readonly release: readonly string[];
}

/**
 * Decides how many blocks a run needs: enough for the cores of the ready and running jobs,
 * between `minBlocks` and `maxBlocks` (at least `initBlocks` in the first round). Releases
 * blocks that are drained (too close to their walltime for any ready job), pending blocks
 * beyond the need, and blocks idle for `idleSeconds` beyond it; everything once the run ends.
 */
export function planBlocks(input: BlockPlanInput): BlockPlan {
  const { settings, load, blocks } = input;
  if (input.finished) return { submit: 0, release: blocks.map((b) => b.id) };
  const perBlock = settings.nodesPerBlock * settings.coresPerNode;
  const demand = load.readyCpus + load.leasedCpus;
  let need = demand > 0 ? Math.ceil(demand / perBlock) : 0;
  if (input.firstRound && demand > 0) need = Math.max(need, settings.initBlocks);
  need = Math.min(settings.maxBlocks, Math.max(settings.minBlocks, need));
  const release: string[] = blocks.filter((b) => b.drained).map((b) => b.id);
  let kept = blocks.filter((b) => !b.drained);
  const excess = kept.length - need;
  if (excess > 0) {
    const idleFor = (b: PlannedBlock): number => (b.idleSince === null ? -1 : input.now - b.idleSince);
    const pending = kept.filter((b) => b.state === 'pending');
    const idle = kept.filter((b) => b.state === 'running' && load.ready === 0 && idleFor(b) >= settings.idleSeconds * 1000).sort((a, b) => idleFor(b) - idleFor(a));
    const candidates = [...(load.ready === 0 ? pending.reverse() : []), ...idle].slice(0, excess);
    release.push(...candidates.map((b) => b.id));
    kept = kept.filter((b) => !candidates.includes(b));
  }
  return { submit: Math.max(0, need - kept.length), release };
}
