import { formatDataId } from '../registry/index.js';
import { JobState } from '../sites/index.js';
import { formatTable } from '../util/index.js';
import type { RunSummaryRow as ListedRun } from './list-runs.js';
import { QuantumState } from './quantum-states.js';
import type { RunFailures } from './run-failures.js';
import type { RunDetails } from './run-report.js';

const upper = (s: string): string => s.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();

/** The runs table of `bps-ts report`. */
export function formatRunList(rows: readonly ListedRun[]): string {
  if (rows.length === 0) return 'No runs found (use --hist DAYS to include finished runs).';
  return formatTable(['STATE', '%S', 'ID', 'OPERATOR', 'PROJECT', 'CAMPAIGN', 'PAYLOAD', 'RUN'], rows.map((r) => [upper(r.state), r.percentSucceeded, r.id, r.operator, r.project, r.campaign, r.payload, r.run]));
}

/** `bps-ts report --id RUN`: where the run is, its state, jobs and quanta per label, error counts. */
export function formatRunDetails(d: RunDetails): string {
  const latest = d.status.latest;
  const driver = latest ? `${latest.driverHost} pid ${latest.driverPid} (${d.status.driverAlive === true ? 'running' : d.status.driverAlive === false ? 'gone' : 'unknown'})` : 'none';
  const lines = [
    `Run:       ${d.run.id}`,
    `Path:      ${d.run.submitPath}`,
    `State:     ${upper(d.status.state)} (${d.status.percentSucceeded}% of jobs succeeded)${d.status.orphans > 0 ? `, ${d.status.orphans} job process(es) running without their driver` : ''}`,
    `Site:      ${d.run.computeSite} (${d.run.siteType}); driver ${driver}; submissions ${d.submissions.length}`,
    `Operator:  ${d.run.operator}  Project: ${d.run.project}  Campaign: ${d.run.campaign}  Payload: ${d.run.payload}`,
    `Output:    ${d.run.outputRun} in ${d.run.repo}`,
    '',
    formatTable(['JOBS', ...JobState.map(upper), 'EXPECTED'], d.jobs.map((r) => [r.label, ...JobState.map((s) => r.counts[s]), r.expected])),
    '',
    formatTable(['QUANTA', ...QuantumState.map(upper), 'EXPECTED'], d.quanta.map((r) => [r.label, ...QuantumState.map((s) => r.counts[s]), r.expected])),
    '',
    `Payload errors:        ${d.errors.payload.count}${codes(d.errors.payload.codes)}`,
    `Infrastructure errors: ${d.errors.infrastructure.count}${codes(d.errors.infrastructure.codes)}`,
  ];
  for (const t of d.site) lines.push('', t.title, t.rows.length === 0 ? '  (none)' : formatTable([...t.columns], t.rows.map((r) => r.map((v) => v ?? '-'))));
  return lines.join('\n');
}

function codes(c: Readonly<Record<string, number>>): string {
  const parts = Object.entries(c).map(([k, n]) => `${k}: ${n}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** `report --failed` / `logs`: each failed quantum with its debugging facts and what it blocked; then infrastructure failures. */
export function formatFailures(f: RunFailures): string {
  if (f.quanta.length === 0 && f.jobs.length === 0) return 'No failures.';
  const lines: string[] = [];
  for (const q of f.quanta) {
    const exit = q.signal ? `signal ${q.signal}` : q.exitCode !== null ? `exit ${q.exitCode}` : 'exit ?';
    lines.push(`FAILED ${q.label} ${formatDataId(q.dataId)}`, `  quantum: ${q.quantumId}  job: ${q.job ?? '?'}  attempt: ${q.attempt ?? '?'}  ${exit}  host: ${q.host ?? '?'}`);
    if (q.error) lines.push(`  error:   ${q.error}`);
    for (const l of q.errorLines) lines.push(`  | ${l}`);
    lines.push(`  log:     ${q.logPath ?? '(none)'}`);
    if (q.jobStderr) lines.push(`  stderr:  ${q.jobStderr}`);
    if (q.blocked.length > 0) {
      lines.push(`  blocked ${q.blocked.length} downstream quanta:`);
      for (const b of q.blocked) lines.push(`    ${b.label} ${formatDataId(b.dataId)}`);
    }
    lines.push('');
  }
  for (const j of f.jobs) {
    const exit = j.state === 'lost' ? 'lost (process gone)' : j.signal ? `signal ${j.signal}` : `exit ${j.exitCode ?? '?'}`;
    lines.push(`JOB FAILED ${j.job} (${j.label}): attempt ${j.attempt}, ${exit}, host ${j.host}${j.reason ? `, ${j.reason}` : ''}`);
    if (j.quantaWithoutRecord > 0) lines.push(`  ${j.quantaWithoutRecord} of its quanta have no provenance record (not run or interrupted)`);
    for (const l of j.errorLines) lines.push(`  | ${l}`);
    lines.push(`  stderr:  ${j.stderr}`, `  stdout:  ${j.stdout}`, '');
  }
  return lines.join('\n').trimEnd();
}
