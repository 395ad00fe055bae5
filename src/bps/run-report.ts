import { ExitCode } from '../errors/index.js';
import { readQuantumGraph } from '../graph/index.js';
import { getSitePlugin, type JobState, type SiteDetailTable } from '../sites/index.js';
import { readGenericWorkflow } from '../workflow/index.js';
import { emptyJobCounts, type JobStateCounts } from './drive-run.js';
import { collectQuantumStates, openRunDatastore, QuantumState, type QuantumStateRow } from './quantum-states.js';
import { readRunStatus, type RunStatus } from './run-status.js';
import type { AttemptRow, JobRow, RunMetadata, RunStateStore, SubmissionRow } from './run-state-store.js';

/** Quanta per state. */
export type QuantumStateCounts = Record<QuantumState, number>;

/** Counts of one label (jobs or quanta), with the number expected from the workflow. */
export interface LabelCounts<C> {
  readonly label: string;
  readonly counts: C;
  readonly expected: number;
}

/** Failed attempts split as the reference's report does: the payload failed, or the infrastructure did. */
export interface ErrorSummary {
  readonly payload: { readonly count: number; readonly codes: Readonly<Record<string, number>> };
  readonly infrastructure: { readonly count: number; readonly codes: Readonly<Record<string, number>> };
}

/** Everything `bps-ts report --id` shows. */
export interface RunDetails {
  readonly run: RunMetadata;
  readonly status: RunStatus;
  readonly submissions: readonly SubmissionRow[];
  /** Jobs per label and state, TOTAL first. */
  readonly jobs: readonly LabelCounts<JobStateCounts>[];
  /** Quanta per task label and state, TOTAL first (the per-label execution counts). */
  readonly quanta: readonly LabelCounts<QuantumStateCounts>[];
  readonly errors: ErrorSummary;
  /** What the site adds (the pilot site: its blocks and workers). */
  readonly site: readonly SiteDetailTable[];
}

/** A run opened for reporting: metadata, status, attempts and every quantum's state. */
export interface RunSnapshot {
  readonly run: RunMetadata;
  readonly status: RunStatus;
  readonly jobs: readonly JobRow[];
  readonly attempts: readonly AttemptRow[];
  readonly quanta: readonly QuantumStateRow[];
}

/** Reads a run's status and its quanta's states (graph, workflow and provenance records). */
export async function readRunSnapshot(store: RunStateStore): Promise<RunSnapshot> {
  const status = await readRunStatus(store);
  const run = store.metadata();
  const workflow = readGenericWorkflow(run.workflowFile);
  const graph = readQuantumGraph(run.graphFile);
  const jobs = store.jobs();
  const runningJobs = new Set(jobs.filter((j) => j.state === 'running').map((j) => j.name));
  const quanta = await collectQuantumStates({ graph, workflow, datastore: openRunDatastore(run.repo, run.cwd), runningJobs });
  return { run, status, jobs, attempts: store.attempts(), quanta };
}

/** Classifies an ended attempt: exit 9 (`qg run-qbb`: a quantum failed) is a payload error; anything else is infrastructure. */
export function classifyAttempt(a: Pick<AttemptRow, 'state' | 'exitCode' | 'signal'>): { kind: 'payload' | 'infrastructure'; code: string } | undefined {
  if (a.state !== 'failed' && a.state !== 'lost') return undefined;
  if (a.state === 'lost') return { kind: 'infrastructure', code: 'lost' };
  if (a.signal !== null) return { kind: 'infrastructure', code: a.signal };
  return { kind: a.exitCode === ExitCode.execution ? 'payload' : 'infrastructure', code: `exit ${a.exitCode ?? '?'}` };
}

/** Builds the `report --id` view of a run. */
export async function buildRunDetails(store: RunStateStore): Promise<RunDetails> {
  const snapshot = await readRunSnapshot(store);
  const jobs = snapshot.jobs;
  const jobLabels = new Map<string, LabelCounts<JobStateCounts>>();
  const jobTotal: LabelCounts<JobStateCounts> = { label: 'TOTAL', counts: emptyJobCounts(), expected: jobs.length };
  for (const j of jobs) {
    let row = jobLabels.get(j.label);
    if (!row) jobLabels.set(j.label, (row = { label: j.label, counts: emptyJobCounts(), expected: 0 }));
    row.counts[j.state as JobState]++;
    (row as { expected: number }).expected++;
    jobTotal.counts[j.state as JobState]++;
  }
  const emptyQ = (): QuantumStateCounts => Object.fromEntries(QuantumState.map((s) => [s, 0])) as QuantumStateCounts;
  const qLabels = new Map<string, LabelCounts<QuantumStateCounts>>();
  const qTotal: LabelCounts<QuantumStateCounts> = { label: 'TOTAL', counts: emptyQ(), expected: snapshot.quanta.length };
  for (const q of snapshot.quanta) {
    let row = qLabels.get(q.label);
    if (!row) qLabels.set(q.label, (row = { label: q.label, counts: emptyQ(), expected: 0 }));
    row.counts[q.state]++;
    (row as { expected: number }).expected++;
    qTotal.counts[q.state]++;
  }
  const payload: Record<string, number> = {};
  const infra: Record<string, number> = {};
  for (const a of snapshot.attempts) {
    const c = classifyAttempt(a);
    if (!c) continue;
    const target = c.kind === 'payload' ? payload : infra;
    target[c.code] = (target[c.code] ?? 0) + 1;
  }
  const sum = (r: Record<string, number>): number => Object.values(r).reduce((a, b) => a + b, 0);
  return {
    run: snapshot.run,
    status: snapshot.status,
    submissions: store.submissions(),
    jobs: [jobTotal, ...jobLabels.values()],
    quanta: [qTotal, ...qLabels.values()],
    errors: { payload: { count: sum(payload), codes: payload }, infrastructure: { count: sum(infra), codes: infra } },
    site: (await getSitePlugin(snapshot.run.siteType).details?.({ submitPath: snapshot.run.submitPath })) ?? [],
  };
}
