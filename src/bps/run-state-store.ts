import { existsSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { DatabaseError } from '../errors/index.js';
import type { AttemptEnd, AttemptStart, JobRecorder, JobState, RunningAttempt } from '../sites/index.js';
import type { GenericWorkflow } from '../workflow/index.js';
import { RunNotFoundError } from './bps-errors.js';
import { RUN_STATE_SCHEMA, RUN_STATE_VERSION } from './run-state-schema.js';

/** What identifies a run and where its pieces are; stored in the run-state database. */
export interface RunMetadata {
  /** The run id (`uniqProcName`, the workflow name). */
  readonly id: string;
  readonly submitPath: string;
  readonly operator: string;
  readonly project: string;
  readonly campaign: string;
  readonly payload: string;
  readonly outputRun: string;
  readonly computeSite: string;
  readonly siteType: string;
  readonly configFile: string;
  readonly repo: string;
  readonly graphFile: string;
  readonly workflowFile: string;
  /** Directory the jobs run in. */
  readonly cwd: string;
  /** Login name of whoever submitted. */
  readonly user: string;
  /** ISO time of the submission. */
  readonly createdAt: string;
  /** Regular expressions picking error lines out of logs (`errorPatterns`). */
  readonly errorPatterns: readonly string[];
  /** The prepare stage's result (`PreparedSite`), for restarts. */
  readonly prepared: Readonly<Record<string, unknown>>;
}

/** A job row. */
export interface JobRow {
  readonly name: string;
  readonly position: number;
  readonly label: string;
  readonly kind: string;
  readonly quanta: number;
  readonly state: JobState;
  readonly memoryMiB: number;
  readonly updatedAt: number;
}

/** An attempt row. */
export interface AttemptRow {
  readonly job: string;
  readonly number: number;
  readonly submission: number;
  readonly state: 'running' | AttemptEnd['state'];
  readonly host: string;
  readonly pid: number | null;
  readonly pidStart: number | null;
  readonly siteJobId: string | null;
  readonly memoryMiB: number;
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly reason: string | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A submission row: the first submit or a restart. */
export interface SubmissionRow {
  readonly number: number;
  readonly kind: 'submit' | 'restart';
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly driverHost: string;
  readonly driverPid: number;
  readonly driverPidStart: number | null;
  readonly siteRunId: string | null;
  /** Config amendments of a restart (`-c` values). */
  readonly amendments: readonly string[];
}

const camel = (row: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()).replace(/Mib$/, 'MiB'), v]));

/**
 * A run's persistent state: one SQLite file (WAL) in the submit directory that the driver
 * writes as jobs progress and that any other process (report, status, restart, cancel) reads.
 * Implements the sites' {@link JobRecorder}; each call is one small autocommit write, so a
 * killed driver loses nothing it had recorded.
 */
export class RunStateStore implements JobRecorder {
  private submission = 0;

  private readonly statements = new Map<string, SQLite.Statement>();

  private constructor(readonly path: string, private readonly db: SQLite.Database) {}

  /** Creates the database of a new run from its workflow (every job `unready`). */
  static create(path: string, metadata: RunMetadata, workflow: GenericWorkflow): RunStateStore {
    if (existsSync(path)) throw new DatabaseError(`run state '${path}' already exists`, { hint: 'use bps-ts restart --id to continue that run, or submit again for a new run' });
    const store = new RunStateStore(path, RunStateStore.connect(path, false));
    store.db.exec(RUN_STATE_SCHEMA);
    const insert = store.db.prepare('INSERT INTO job (name, position, label, kind, quanta, state, memory_mib, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const now = Date.now();
    store.db.transaction(() => {
      store.setMetadata({ ...metadata, formatVersion: RUN_STATE_VERSION } as unknown as Partial<RunMetadata>);
      workflow.jobs.forEach((j, i) => insert.run(j.name, i, j.label, j.kind, j.quantumIds.length, 'unready', j.resources.requestMemory, now));
    })();
    return store;
  }

  /** Opens an existing run's database. */
  static open(path: string, options: { readonly?: boolean } = {}): RunStateStore {
    if (!existsSync(path)) throw new RunNotFoundError(`no run state at '${path}'`, { hint: 'give the run id or submit directory printed by bps-ts submit (bps-ts report --hist 7 lists recent runs)' });
    return new RunStateStore(path, RunStateStore.connect(path, options.readonly === true));
  }

  private static connect(path: string, readonly: boolean): SQLite.Database {
    try {
      const db = new SQLite(path, { readonly, fileMustExist: readonly, timeout: 10_000 });
      if (!readonly) {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
      }
      return db;
    } catch (err) {
      throw new DatabaseError(`cannot open run state '${path}': ${(err as Error).message}`, { cause: err, hint: 'check the file exists and is readable' });
    }
  }

  close(): void {
    this.db.close();
  }

  /** The prepared statement of `text`, made once per store (drivers record thousands of jobs). */
  private sql(text: string): SQLite.Statement {
    let statement = this.statements.get(text);
    if (statement === undefined) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  metadata(): RunMetadata {
    const rows = this.sql('SELECT key, value FROM run_meta').all() as { key: string; value: string }[];
    return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown])) as unknown as RunMetadata;
  }

  setMetadata(values: Partial<RunMetadata>): void {
    const upsert = this.sql('INSERT INTO run_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    this.db.transaction(() => {
      for (const [k, v] of Object.entries(values)) if (v !== undefined) upsert.run(k, JSON.stringify(v));
    })();
  }

  /** Starts a submission (the first submit or a restart) driven by this process; returns its number. */
  beginSubmission(row: Omit<SubmissionRow, 'number' | 'endedAt' | 'siteRunId'>): number {
    const info = this.sql('INSERT INTO submission (kind, started_at, driver_host, driver_pid, driver_pid_start, amendments) VALUES (?, ?, ?, ?, ?, ?)')
      .run(row.kind, row.startedAt, row.driverHost, row.driverPid, row.driverPidStart, JSON.stringify(row.amendments));
    this.submission = Number(info.lastInsertRowid);
    return this.submission;
  }

  /** Marks a submission as driven by another process (a detached driver takes it over). */
  adoptSubmission(number: number, driver: { driverHost: string; driverPid: number; driverPidStart: number | null }): void {
    this.submission = number;
    this.sql('UPDATE submission SET driver_host = ?, driver_pid = ?, driver_pid_start = ? WHERE number = ?').run(driver.driverHost, driver.driverPid, driver.driverPidStart, number);
  }

  setSiteRunId(number: number, siteRunId: string): void {
    this.sql('UPDATE submission SET site_run_id = ? WHERE number = ?').run(siteRunId, number);
  }

  endSubmission(number: number): void {
    this.sql('UPDATE submission SET ended_at = ? WHERE number = ?').run(Date.now(), number);
  }

  submissions(): SubmissionRow[] {
    return (this.sql('SELECT * FROM submission ORDER BY number').all() as Record<string, unknown>[]).map((r) => {
      const row = camel(r);
      return { ...row, amendments: JSON.parse(String(row['amendments'])) as string[] } as unknown as SubmissionRow;
    });
  }

  setJobState(job: string, state: JobState): void {
    this.sql('UPDATE job SET state = ?, updated_at = ? WHERE name = ?').run(state, Date.now(), job);
  }

  attemptStarted(a: AttemptStart): void {
    this.db.transaction(() => {
      this.sql(`INSERT INTO attempt (job, number, submission, state, host, pid, pid_start, site_job_id, memory_mib, started_at, stdout, stderr)
        VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(job, number) DO UPDATE SET pid = excluded.pid, pid_start = excluded.pid_start, site_job_id = excluded.site_job_id`)
        .run(a.job, a.attempt, this.submission, a.host, a.pid, a.pidStart, a.siteJobId, a.memoryMiB, a.startedAt, a.stdout, a.stderr);
      this.sql("UPDATE job SET state = 'running', memory_mib = MAX(memory_mib, ?), updated_at = ? WHERE name = ?").run(a.memoryMiB, Date.now(), a.job);
    })();
  }

  attemptEnded(a: AttemptEnd): void {
    this.sql('UPDATE attempt SET state = ?, exit_code = ?, signal = ?, ended_at = ?, reason = ? WHERE job = ? AND number = ?')
      .run(a.state, a.exitCode, a.signal, a.endedAt, a.reason ?? null, a.job, a.attempt);
  }

  jobs(): JobRow[] {
    return (this.sql('SELECT * FROM job ORDER BY position').all() as Record<string, unknown>[]).map((r) => camel(r) as unknown as JobRow);
  }

  attempts(job?: string): AttemptRow[] {
    const rows = job === undefined ? this.sql('SELECT * FROM attempt ORDER BY started_at, job, number').all() : this.sql('SELECT * FROM attempt WHERE job = ? ORDER BY number').all(job);
    return (rows as Record<string, unknown>[]).map((r) => camel(r) as unknown as AttemptRow);
  }

  runningAttempts(): RunningAttempt[] {
    return (this.sql("SELECT job, number, host, pid, pid_start, site_job_id FROM attempt WHERE state = 'running'").all() as Record<string, unknown>[]).map((r) => ({
      job: String(r['job']), attempt: Number(r['number']), host: String(r['host']), pid: r['pid'] as number | null, pidStart: r['pid_start'] as number | null, siteJobId: r['site_job_id'] as string | null,
    }));
  }

  /** Records attempts found ended by the site (lost, cancelled, blocked); their jobs take the same state, `pruned` when blocked. */
  /** Runs `fn` in one transaction (a site recording many job changes at once). */
  batch<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  recordEnded(ends: readonly AttemptEnd[]): void {
    this.db.transaction(() => {
      for (const e of ends) {
        this.attemptEnded(e);
        this.sql("UPDATE job SET state = ?, updated_at = ? WHERE name = ? AND state IN ('running', 'ready')").run(e.blocked ? 'pruned' : e.state, Date.now(), e.job);
      }
    })();
  }

  /** Before a restart: the given jobs become `unready` again. */
  resetJobs(names: readonly string[]): void {
    const update = this.sql("UPDATE job SET state = 'unready', updated_at = ? WHERE name = ?");
    const now = Date.now();
    this.db.transaction(() => {
      for (const n of names) update.run(now, n);
    })();
  }
}
