import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../util/index.js';
import { cancelJobs, queryJobs, submitBatchJob, type SqueueRow } from '../slurm/index.js';
import { renderBlockScript } from './block-script.js';
import { pilotPaths } from './pilot-paths.js';
import type { PilotSiteSettings } from './pilot-settings.js';
import type { BlockRecord } from './pilot-state-file.js';

/** Options of {@link BlockManager}. */
export interface BlockManagerOptions {
  readonly submitPath: string;
  readonly runName: string;
  readonly comment: string;
  readonly cwd: string;
  readonly settings: PilotSiteSettings;
  readonly log: Logger;
  /** Blocks of an earlier coordinator of the run (restart): the live ones are adopted. */
  readonly restored?: readonly BlockRecord[];
  readonly now?: () => number;
}

const ACTIVE = new Set(['PENDING', 'CONFIGURING', 'RUNNING', 'SUSPENDED', 'REQUEUED', 'RESIZING']);

/**
 * The run's blocks in Slurm: submits them (sbatch of a rendered block script), polls their
 * state with one squeue call for all, and releases them (scancel). Counts blocks that ended
 * before any of their workers reached the coordinator, so a broken worker command fails the
 * run instead of submitting blocks forever.
 */
export class BlockManager {
  private readonly records: BlockRecord[];
  private next: number;
  /** Blocks in a row that ended without a worker ever connecting. */
  failedInRow = 0;
  private readonly now: () => number;

  constructor(private readonly options: BlockManagerOptions) {
    this.records = (options.restored ?? []).map((b) => ({ ...b }));
    this.next = Math.max(0, ...this.records.map((b) => Number(b.id.replace(/^b/, '')) || 0)) + 1;
    this.now = options.now ?? Date.now;
  }

  all(): readonly BlockRecord[] {
    return this.records;
  }

  /** Blocks pending or running. */
  active(): BlockRecord[] {
    return this.records.filter((b) => b.state === 'pending' || b.state === 'running');
  }

  get(id: string): BlockRecord | undefined {
    return this.records.find((b) => b.id === id);
  }

  /** A worker of the block reached the coordinator: it is running and its command works. */
  markConnected(id: string): void {
    const b = this.get(id);
    if (b === undefined || b.connected) return;
    b.connected = true;
    this.failedInRow = 0;
    if (b.state === 'pending') {
      b.state = 'running';
      b.startedAt ??= this.now();
    }
  }

  /** Writes the next block's script and submits it. */
  async submitBlock(): Promise<BlockRecord> {
    const id = `b${this.next++}`;
    const dir = pilotPaths(this.options.submitPath).blocks;
    mkdirSync(dir, { recursive: true });
    const script = join(dir, `${id}.sh`);
    const stdout = join(dir, `${id}.out`);
    const stderr = join(dir, `${id}.err`);
    const { settings, runName, comment, submitPath, cwd } = this.options;
    writeFileSync(script, renderBlockScript({ settings, blockId: id, runName, comment, submitPath, cwd, stdout, stderr }), { mode: 0o755 });
    const { jobId } = await submitBatchJob({ scriptPath: script });
    const record: BlockRecord = { id, slurmJobId: jobId, state: 'pending', slurmState: 'PENDING', submittedAt: this.now(), startedAt: null, endedAt: null, reason: null, connected: false, script, stdout, stderr };
    this.records.push(record);
    this.options.log.info({ block: id, slurmJobId: jobId, nodes: settings.nodesPerBlock, coresPerNode: settings.coresPerNode }, `pilot: submitted block ${id} (Slurm job ${jobId})`);
    return record;
  }

  /** One squeue call for the active blocks; returns those found ended since the last poll. */
  async poll(): Promise<BlockRecord[]> {
    const active = this.active();
    if (active.length === 0) return [];
    const rows = new Map<string, SqueueRow>((await queryJobs({ jobIds: active.map((b) => b.slurmJobId) })).map((r) => [r.jobId, r]));
    const ended: BlockRecord[] = [];
    const now = this.now();
    for (const b of active) {
      const row = rows.get(b.slurmJobId);
      b.slurmState = row?.state ?? null;
      if (row !== undefined && ACTIVE.has(row.state)) {
        if (row.state === 'RUNNING' && b.state === 'pending') {
          b.state = 'running';
          b.startedAt ??= now;
        }
        continue;
      }
      b.state = 'ended';
      b.endedAt = now;
      b.reason = row === undefined ? 'Slurm no longer knows the job' : `Slurm state ${row.state}${row.reason && row.reason !== 'None' ? ` (${row.reason})` : ''}`;
      if (!b.connected) this.failedInRow++;
      ended.push(b);
    }
    return ended;
  }

  /** Cancels blocks (their workers get SIGTERM and give their jobs back). */
  async release(ids: readonly string[], reason: string): Promise<void> {
    const blocks = ids.map((id) => this.get(id)).filter((b): b is BlockRecord => b !== undefined && (b.state === 'pending' || b.state === 'running'));
    if (blocks.length === 0) return;
    await cancelJobs({ jobIds: blocks.map((b) => b.slurmJobId) });
    const now = this.now();
    for (const b of blocks) {
      b.state = 'released';
      b.endedAt = now;
      b.reason = reason;
    }
    this.options.log.info({ blocks: blocks.map((b) => b.id), reason }, `pilot: released ${blocks.length} block(s)`);
  }
}
