import { getCollection, getCollectionById } from './collections.js';
import { chunk, type RegistryContext } from './context.js';
import type { DataIdValue } from './data-id.js';

/** Outcome of a quantum, as recorded by aggregation. */
export const QUANTUM_STATUSES = ['succeeded', 'failed', 'blocked'] as const;
/** One outcome. */
export type QuantumStatus = (typeof QUANTUM_STATUSES)[number];

/** How a dataset relates to a quantum (the open provenance model: used / wasGeneratedBy). */
export interface DatasetLink {
  readonly datasetId: string;
  readonly role: 'used' | 'generated';
  readonly connection: string;
}

/** What ran, where, how, and with which result: one row per quantum. */
export interface QuantumProvenance {
  readonly quantumId: string;
  readonly run: string;
  readonly taskLabel: string;
  readonly taskClass: string;
  readonly dataId: Readonly<Record<string, DataIdValue>>;
  readonly status: QuantumStatus;
  readonly configHash: string | null;
  readonly software: string | null;
  readonly host: string | null;
  /** UTC microseconds. */
  readonly startTime: number | null;
  readonly endTime: number | null;
  readonly cpuTimeS: number | null;
  readonly peakRssMiB: number | null;
  readonly exitCode: number | null;
  readonly error: string | null;
  readonly logPath: string | null;
  readonly datasets: readonly DatasetLink[];
}

/**
 * Records quantum provenance. A quantum already recorded is replaced (a failure followed by a
 * successful rerun keeps only the success), so recording twice changes nothing.
 */
export async function recordProvenance(ctx: RegistryContext, records: readonly QuantumProvenance[]): Promise<void> {
  if (records.length === 0) return;
  const runIds = new Map<string, number>();
  for (const r of records) if (!runIds.has(r.run)) runIds.set(r.run, (await getCollection(ctx, r.run, 'RUN')).id);
  for (const part of chunk(records, 1, 500)) {
    const ids = part.map((r) => r.quantumId);
    await ctx.db.deleteFrom('dataset_provenance').where('quantum_id', 'in', ids).execute();
    await ctx.db.deleteFrom('quantum_provenance').where('quantum_id', 'in', ids).execute();
    await ctx.db
      .insertInto('quantum_provenance')
      .values(
        part.map((r) => ({
          quantum_id: r.quantumId,
          run_id: runIds.get(r.run),
          task_label: r.taskLabel,
          task_class: r.taskClass,
          data_id: JSON.stringify(r.dataId),
          status: r.status,
          config_hash: r.configHash,
          software: r.software,
          host: r.host,
          start_time: r.startTime,
          end_time: r.endTime,
          cpu_time_s: r.cpuTimeS,
          peak_rss_mib: r.peakRssMiB,
          exit_code: r.exitCode,
          error: r.error,
          log_path: r.logPath,
        })),
      )
      .execute();
    const links = part.flatMap((r) => dedupeLinks(r.datasets).map((d) => ({ quantum_id: r.quantumId, dataset_id: d.datasetId, role: d.role, connection: d.connection })));
    for (const p of chunk(links, 4, ctx.traits.maxParameters)) if (p.length) await ctx.db.insertInto('dataset_provenance').values(p).execute();
  }
}

function dedupeLinks(links: readonly DatasetLink[]): DatasetLink[] {
  const seen = new Map<string, DatasetLink>();
  for (const l of links) seen.set(`${l.datasetId}:${l.role}`, l);
  return [...seen.values()];
}

/** Provenance of quanta, selected by quantum id, run, status, or dataset (generated/used). */
export async function queryProvenance(
  ctx: RegistryContext,
  options: { quantumIds?: readonly string[]; run?: string; statuses?: readonly QuantumStatus[]; generating?: string; using?: string },
): Promise<QuantumProvenance[]> {
  let q = ctx.db.selectFrom('quantum_provenance as q').selectAll('q');
  if (options.quantumIds) q = q.where('q.quantum_id', 'in', options.quantumIds.length ? [...options.quantumIds] : ['']);
  if (options.run) q = q.where('q.run_id', '=', (await getCollection(ctx, options.run, 'RUN')).id);
  if (options.statuses?.length) q = q.where('q.status', 'in', [...options.statuses]);
  for (const [role, id] of [['generated', options.generating], ['used', options.using]] as const) {
    if (id === undefined) continue;
    q = q.where('q.quantum_id', 'in', ctx.db.selectFrom('dataset_provenance').select('quantum_id').where('dataset_id', '=', id).where('role', '=', role));
  }
  const rows = (await q.orderBy('q.start_time').execute()) as Record<string, unknown>[];
  const links = new Map<string, DatasetLink[]>();
  for (const part of chunk(rows.map((r) => String(r['quantum_id'])), 1, ctx.traits.maxParameters - 10)) {
    const found = (await ctx.db.selectFrom('dataset_provenance').selectAll().where('quantum_id', 'in', part).orderBy('connection').execute()) as Record<string, string>[];
    for (const f of found) links.set(f['quantum_id']!, [...(links.get(f['quantum_id']!) ?? []), { datasetId: f['dataset_id']!, role: f['role'] as 'used' | 'generated', connection: f['connection']! }]);
  }
  const out: QuantumProvenance[] = [];
  for (const r of rows) {
    const num = (k: string): number | null => (r[k] === null || r[k] === undefined ? null : Number(r[k]));
    out.push({
      quantumId: String(r['quantum_id']),
      run: (await getCollectionById(ctx, Number(r['run_id']))).name,
      taskLabel: String(r['task_label']),
      taskClass: String(r['task_class']),
      dataId: JSON.parse(String(r['data_id'])) as Record<string, DataIdValue>,
      status: r['status'] as QuantumStatus,
      configHash: (r['config_hash'] as string | null) ?? null,
      software: (r['software'] as string | null) ?? null,
      host: (r['host'] as string | null) ?? null,
      startTime: num('start_time'),
      endTime: num('end_time'),
      cpuTimeS: num('cpu_time_s'),
      peakRssMiB: num('peak_rss_mib'),
      exitCode: num('exit_code'),
      error: (r['error'] as string | null) ?? null,
      logPath: (r['log_path'] as string | null) ?? null,
      datasets: links.get(String(r['quantum_id'])) ?? [],
    });
  }
  return out;
}
