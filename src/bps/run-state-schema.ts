/** Version of the run-state database layout this code writes and reads. */
export const RUN_STATE_VERSION = 1;

/** File name of a run's state database in its submit directory. */
export const RUN_STATE_FILE = 'run-state.sqlite3';

/**
 * The run-state database: run metadata as key/value rows, one row per job (its current
 * state and the memory it has earned), one row per attempt (process, host, times, exit code or
 * signal, log paths) and one per submission (the first submit and each restart, with the
 * driver process and the config amendments).
 */
export const RUN_STATE_SCHEMA = `
CREATE TABLE IF NOT EXISTS run_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS job (
  name TEXT PRIMARY KEY,
  position INTEGER NOT NULL,
  label TEXT NOT NULL,
  kind TEXT NOT NULL,
  quanta INTEGER NOT NULL,
  state TEXT NOT NULL,
  memory_mib INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS attempt (
  job TEXT NOT NULL REFERENCES job(name),
  number INTEGER NOT NULL,
  submission INTEGER NOT NULL,
  state TEXT NOT NULL,
  host TEXT NOT NULL,
  pid INTEGER,
  pid_start INTEGER,
  site_job_id TEXT,
  memory_mib INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  exit_code INTEGER,
  signal TEXT,
  reason TEXT,
  stdout TEXT NOT NULL,
  stderr TEXT NOT NULL,
  PRIMARY KEY (job, number)
);
CREATE INDEX IF NOT EXISTS attempt_state ON attempt(state);
CREATE TABLE IF NOT EXISTS submission (
  number INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  driver_host TEXT NOT NULL,
  driver_pid INTEGER NOT NULL,
  driver_pid_start INTEGER,
  site_run_id TEXT,
  amendments TEXT NOT NULL
);
`;
