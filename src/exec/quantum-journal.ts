import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FileDatastore } from '../datastore/index.js';
import type { ProvenanceRecord } from './provenance-record.js';
import { journalDir } from './quantum-files.js';

/** Open journals of this process, by absolute directory. */
const open = new Map<string, number>();

function journalName(): string {
  const host = hostname().replace(/[^A-Za-z0-9.-]/g, '_');
  return `${host}-${process.pid}-${randomBytes(4).toString('hex')}.jsonl`;
}

/**
 * Appends a quantum's provenance record to this process's journal of the run: one JSON line in
 * `<run>/_quanta/_journal/<host>-<pid>-<random>.jsonl`. One file per writing process (never
 * shared, so lines cannot interleave) keeps a quantum's bookkeeping at an append instead of a
 * file creation, the dominant cost of tiny quanta.
 */
export function appendQuantumRecord(datastore: FileDatastore, run: string, record: ProvenanceRecord): void {
  const dir = datastore.absolutePath(journalDir(run));
  let fd = open.get(dir);
  if (fd === undefined) {
    mkdirSync(dir, { recursive: true });
    fd = openSync(join(dir, journalName()), 'a');
    open.set(dir, fd);
  }
  writeSync(fd, `${JSON.stringify(record)}\n`);
}

/** Closes this process's journals (tests; a process that exits needs not). */
export function closeQuantumJournals(): void {
  for (const fd of open.values()) closeSync(fd);
  open.clear();
}

/**
 * Every quantum's latest provenance record in a run's journals, by quantum id. A quantum run
 * more than once (failed, then retried) keeps the record that ended last; a torn last line
 * (its writer was killed mid-append) is ignored. A succeeded record whose `_metadata` file is
 * missing (its writer was killed between the two) is dropped: the quantum has not finished.
 */
export function readQuantumRecords(datastore: FileDatastore, run: string): Map<string, ProvenanceRecord> {
  const dir = datastore.absolutePath(journalDir(run));
  const records = new Map<string, ProvenanceRecord>();
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
  } catch {
    return records;
  }
  for (const file of files) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (line === '') continue;
      let record: ProvenanceRecord;
      try {
        record = JSON.parse(line) as ProvenanceRecord;
      } catch {
        continue;
      }
      const before = records.get(record.quantumId);
      if (before === undefined || before.endTime <= record.endTime) records.set(record.quantumId, record);
    }
  }
  for (const [id, record] of records) {
    const marker = record.status === 'succeeded' ? record.generated.find((g) => g.connection === '_metadata') : undefined;
    if (marker !== undefined && statSync(datastore.absolutePath(marker.path), { throwIfNoEntry: false }) === undefined) records.delete(id);
  }
  return records;
}
