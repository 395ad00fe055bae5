import type { AggregateResult } from '../../aggregate/index.js';
import { formatDataId } from '../../registry/index.js';
import { formatTable } from '../../util/index.js';

/** The end-of-run summary: quanta per task and state, then each failure with its log and what it blocked. */
export function formatRunSummary(result: AggregateResult): string {
  const rows = Object.entries(result.perTask).map(([label, c]) => [label, c.succeeded, c.failed, c.blocked, c.notRun, c.succeeded + c.failed + c.blocked + c.notRun]);
  const total = rows.reduce((acc, r) => acc.map((v, i) => (i === 0 ? v : Number(v) + Number(r[i]))), ['TOTAL', 0, 0, 0, 0, 0]);
  const lines = [formatTable(['task', 'succeeded', 'failed', 'blocked', 'not run', 'total'], [...rows, total])];
  const failed = result.problems.filter((p) => p.status === 'failed');
  for (const f of failed) {
    lines.push('', `FAILED ${f.taskLabel} ${formatDataId(f.dataId)}`, `  error: ${f.error}`, `  log:   ${f.logPath ?? '(none)'}`);
    const blocked = result.problems.filter((p) => p.blockedBy === f.index);
    if (blocked.length) {
      lines.push(`  blocked ${blocked.length} downstream quanta:`);
      for (const b of blocked) lines.push(`    ${b.taskLabel} ${formatDataId(b.dataId)}`);
    }
  }
  return lines.join('\n');
}
