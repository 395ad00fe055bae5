import type { GenericWorkflow, GenericWorkflowJob } from '../../workflow/index.js';
import type { JobRecorder } from '../site-plugin.js';
import { ReadyQueue } from './ready-queue.js';

/** Where a job stands in the coordinator. */
export type DagStatus = 'waiting' | 'ready' | 'leased' | 'succeeded' | 'failed' | 'pruned' | 'deleted';
const TERMINAL: ReadonlySet<DagStatus> = new Set(['succeeded', 'failed', 'pruned', 'deleted']);

/**
 * The dependency-aware state of a run's jobs: a job becomes ready when its parents have all
 * succeeded (the final job, `runAlways`, when they have all ended), and is pruned when one of
 * them failed. Every change goes to the recorder at once.
 */
export class JobDag {
  readonly jobs: ReadonlyMap<string, GenericWorkflowJob>;
  readonly ready = new ReadyQueue();
  private readonly children = new Map<string, string[]>();
  private readonly status = new Map<string, DagStatus>();
  private open = 0;
  /** Called when jobs were added to the ready queue. */
  onReady: (() => void) | undefined;
  /** Says why a job that became ready can never run (it then fails at once), or undefined. */
  check: ((job: GenericWorkflowJob) => string | undefined) | undefined;

  constructor(workflow: GenericWorkflow, private readonly recorder: JobRecorder, done: ReadonlySet<string> | undefined) {
    this.jobs = new Map(workflow.jobs.map((j) => [j.name, j]));
    for (const j of workflow.jobs) for (const p of j.parents) this.children.set(p, [...(this.children.get(p) ?? []), j.name]);
    for (const j of workflow.jobs) {
      const isDone = done?.has(j.name) === true;
      this.status.set(j.name, isDone ? 'succeeded' : 'waiting');
      if (isDone) recorder.setJobState(j.name, 'succeeded');
      else this.open++;
    }
  }

  /** Makes every job whose parents allow it ready (call once, after construction). */
  start(): void {
    for (const name of this.jobs.keys()) this.evaluate(name);
    if (this.ready.length > 0) this.onReady?.();
  }

  /** The job's status. */
  statusOf(name: string): DagStatus | undefined {
    return this.status.get(name);
  }

  /** Jobs not yet succeeded, failed, pruned or deleted. */
  get openJobs(): number {
    return this.open;
  }

  /** Marks a job handed to a worker. */
  markLeased(name: string): void {
    this.status.set(name, 'leased');
    this.recorder.setJobState(name, 'running');
  }

  /** Queues a job again (retry or lost worker), ahead of the others. */
  requeue(name: string): void {
    this.status.set(name, 'ready');
    this.recorder.setJobState(name, 'ready');
    this.ready.pushFront(name);
    this.onReady?.();
  }

  /** Ends a job for good; its children are evaluated (pruned, or ready). */
  finish(name: string, state: 'succeeded' | 'failed' | 'deleted'): void {
    const before = this.status.get(name);
    if (before === undefined || TERMINAL.has(before)) return;
    this.status.set(name, state);
    this.open--;
    this.recorder.setJobState(name, state);
    if (state === 'deleted') return;
    const readyBefore = this.ready.length;
    for (const c of this.children.get(name) ?? []) this.evaluate(c);
    if (this.ready.length > readyBefore) this.onReady?.();
  }

  /** Deletes every job that is waiting or ready (a cancelled run); returns their names. */
  deleteUnstarted(): string[] {
    this.ready.clear();
    const deleted: string[] = [];
    for (const [name, s] of this.status) {
      if (s !== 'waiting' && s !== 'ready') continue;
      this.status.set(name, 'deleted');
      this.open--;
      this.recorder.setJobState(name, 'deleted');
      deleted.push(name);
    }
    return deleted;
  }

  private evaluate(name: string): void {
    if (this.status.get(name) !== 'waiting') return;
    const job = this.jobs.get(name)!;
    const parents = job.parents.map((p) => this.status.get(p) ?? 'succeeded');
    if (parents.some((s) => !TERMINAL.has(s))) return;
    const runnable = job.runAlways || parents.every((s) => s === 'succeeded');
    if (runnable && this.check?.(job) !== undefined) {
      this.status.set(name, 'failed');
      this.open--;
      this.recorder.setJobState(name, 'failed');
      for (const c of this.children.get(name) ?? []) this.evaluate(c);
    } else if (runnable) {
      this.status.set(name, 'ready');
      this.recorder.setJobState(name, 'ready');
      this.ready.pushBack(name);
    } else {
      this.status.set(name, 'pruned');
      this.open--;
      this.recorder.setJobState(name, 'pruned');
      for (const c of this.children.get(name) ?? []) this.evaluate(c);
    }
  }
}
