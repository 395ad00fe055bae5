import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { DatabaseError, UsageError } from '../errors/index.js';
import { RunNotFoundError } from './bps-errors.js';
import { RUN_STATE_FILE } from './run-state-schema.js';
import type { RunMetadata } from './run-state-store.js';

/** File name of the user-level index of runs in the bps-ts home directory. */
export const RUN_INDEX_FILE = 'runs.sqlite3';

/** One run as the index knows it. */
export interface RunIndexEntry {
  readonly id: string;
  readonly submitPath: string;
  readonly user: string;
  readonly operator: string;
  readonly project: string;
  readonly campaign: string;
  readonly payload: string;
  readonly outputRun: string;
  readonly computeSite: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
}

const SCHEMA = `CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY, submit_path TEXT NOT NULL, user TEXT NOT NULL, operator TEXT NOT NULL, project TEXT NOT NULL,
  campaign TEXT NOT NULL, payload TEXT NOT NULL, output_run TEXT NOT NULL, compute_site TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS runs_created ON runs(created_at);`;

/**
 * The index of a user's runs (`<home>/runs.sqlite3`, home = `$BPS_TS_HOME` or `~/.bps-ts`):
 * lets `bps-ts report` list runs and find a run by id from any directory. Each run's own
 * state stays in its submit directory; the index only points at it.
 */
export class RunIndex {
  private constructor(private readonly db: SQLite.Database) {}

  static open(home: string): RunIndex {
    try {
      mkdirSync(home, { recursive: true });
      const db = new SQLite(join(home, RUN_INDEX_FILE), { timeout: 10_000 });
      db.pragma('journal_mode = WAL');
      db.exec(SCHEMA);
      return new RunIndex(db);
    } catch (err) {
      throw new DatabaseError(`cannot open the run index in '${home}': ${(err as Error).message}`, { cause: err, hint: 'set BPS_TS_HOME to a writable directory' });
    }
  }

  close(): void {
    this.db.close();
  }

  add(meta: RunMetadata): void {
    this.db.prepare(`INSERT INTO runs (id, submit_path, user, operator, project, campaign, payload, output_run, compute_site, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(id) DO UPDATE SET submit_path = excluded.submit_path`)
      .run(meta.id, meta.submitPath, meta.user, meta.operator, meta.project, meta.campaign, meta.payload, meta.outputRun, meta.computeSite, Date.parse(meta.createdAt));
  }

  /** Runs created since `sinceMs` (all when undefined), of `user` when given, newest first. */
  list(options: { sinceMs?: number; user?: string } = {}): RunIndexEntry[] {
    const rows = this.db.prepare('SELECT * FROM runs WHERE created_at >= ? AND (? IS NULL OR user = ? OR operator = ?) ORDER BY created_at DESC')
      .all(options.sinceMs ?? 0, options.user ?? null, options.user ?? null, options.user ?? null) as Record<string, unknown>[];
    return rows.map(toEntry);
  }

  /** The run whose id is `id` (a `/` in it may be written as `_`), or that alone starts with it. */
  find(id: string): RunIndexEntry | undefined {
    const key = id.replaceAll('/', '_');
    const exact = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(key) as Record<string, unknown> | undefined;
    if (exact) return toEntry(exact);
    const like = this.db.prepare("SELECT * FROM runs WHERE id LIKE ? ESCAPE '\\' ORDER BY created_at DESC").all(`${key.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) as Record<string, unknown>[];
    if (like.length > 1) throw new UsageError(`run id '${id}' is ambiguous: ${like.slice(0, 5).map((r) => String(r['id'])).join(', ')}${like.length > 5 ? ', ...' : ''}`, { hint: 'give more of the id' });
    return like[0] ? toEntry(like[0]) : undefined;
  }
}

function toEntry(r: Record<string, unknown>): RunIndexEntry {
  return {
    id: String(r['id']), submitPath: String(r['submit_path']), user: String(r['user']), operator: String(r['operator']), project: String(r['project']),
    campaign: String(r['campaign']), payload: String(r['payload']), outputRun: String(r['output_run']), computeSite: String(r['compute_site']), createdAt: Number(r['created_at']),
  };
}

/** The run-state file of a run given by id (looked up in the index) or by submit directory. */
export function locateRunState(options: { id: string; home: string }): string {
  const asPath = resolve(options.id);
  if (existsSync(asPath) && statSync(asPath).isDirectory()) {
    const file = join(asPath, RUN_STATE_FILE);
    if (existsSync(file)) return file;
    throw new RunNotFoundError(`'${options.id}' is a directory without ${RUN_STATE_FILE}`, { hint: 'give the submit directory of a run that reached the submit stage' });
  }
  const index = RunIndex.open(options.home);
  try {
    const entry = index.find(options.id);
    if (entry === undefined) throw new RunNotFoundError(`no run '${options.id}' in the run index ${join(options.home, RUN_INDEX_FILE)}`, { hint: 'bps-ts report --hist 30 lists your runs; a submit directory works too' });
    const file = join(entry.submitPath, RUN_STATE_FILE);
    if (!existsSync(file)) throw new RunNotFoundError(`run '${entry.id}' has no state file at ${file} (submit directory moved or removed?)`, { hint: 'give the submit directory instead of the id' });
    return file;
  } finally {
    index.close();
  }
}
