import type { PlacedArtifact, TransferMode } from '../datastore/index.js';
import { BpsError, ConflictError } from '../errors/index.js';
import type { Instrument, RawMetadata } from '../instrument/index.js';
import { formatDataId, type DatasetRef, type Registry } from '../registry/index.js';
import { makeUuid7, type Logger } from '../util/index.js';
import type { Butler } from './butler.js';
import { IngestRawsError } from './ingest-raws-error.js';
import { listRawFiles, readRawHeaders, type RawFileFailure } from './raw-headers.js';
import { instrumentCollections, listRegisteredInstruments, loadRegisteredInstrument } from './register-instrument.js';

/** Options of {@link ingestRaws}. */
export interface IngestRawsOptions {
  /** Files, or directories searched recursively for `*.fits`. */
  paths: readonly string[];
  /** Transfer mode (default `auto`: files inside the repository are used in place, others copied). */
  transfer?: TransferMode;
  /** Output RUN (default `<INSTRUMENT>/raw/all`). */
  run?: string;
  /** Headers read in parallel (default 4). */
  jobs?: number;
  /** Ingest nothing at all if any file fails. */
  failFast?: boolean;
  /** Pass over files whose raw dataset is already in the run instead of failing them. */
  skipExisting?: boolean;
  /** Read every file as this registered instrument instead of identifying it by INSTRUME. */
  instrument?: string;
  /** Files committed per registry transaction (default 100). */
  batchSize?: number;
  logger?: Logger;
}

/** What {@link ingestRaws} did. */
export interface IngestRawsResult {
  refs: DatasetRef[];
  /** Files passed over because their dataset existed (`skipExisting`). */
  skipped: string[];
  failures: RawFileFailure[];
  /** Number of files considered. */
  files: number;
}

interface RawItem {
  file: string;
  meta: RawMetadata;
  instrument: Instrument;
  run: string;
}

const micros = (iso: string): number => Date.parse(iso) * 1000;

/** The day_obs, group and exposure records a raw file implies. */
export function rawRecords(instrument: Instrument, m: RawMetadata): { day_obs: Record<string, unknown>; group: Record<string, unknown>; exposure: Record<string, unknown> } {
  const d = String(m.day_obs);
  const dayStart = Date.UTC(Number(d.slice(0, 4)), Number(d.slice(4, 6)) - 1, Number(d.slice(6, 8))) - instrument.dayObsOffsetHours * 3_600_000;
  return {
    day_obs: { instrument: m.instrument, id: m.day_obs, timespan: { begin: dayStart * 1000, end: (dayStart + 86_400_000) * 1000 } },
    group: { instrument: m.instrument, name: m.group },
    exposure: {
      instrument: m.instrument, id: m.exposure, physical_filter: m.physical_filter, day_obs: m.day_obs, group: m.group, obs_id: m.obs_id,
      exposure_time: m.exposure_time, dark_time: m.exposure_time, observation_type: m.observation_type,
      tracking_ra: m.tracking_ra, tracking_dec: m.tracking_dec, sky_angle: m.sky_angle,
      timespan: { begin: micros(m.datetime_begin), end: micros(m.datetime_end) },
    },
  };
}

function rawDataId(m: RawMetadata): Record<string, string | number> {
  return { instrument: m.instrument, exposure: m.exposure, detector: m.detector };
}

/**
 * Ingests raw files: reads only their headers (`jobs` at a time), creates the exposure, day_obs and
 * group records, and stores each file as a `raw` dataset through the datastore. Each file is all or
 * nothing; a bad file is reported by name (and keyword) and the others are still ingested, unless
 * `failFast`, when any failure ingests nothing and throws an {@link IngestRawsError}.
 */
export async function ingestRaws(butler: Butler, options: IngestRawsOptions): Promise<IngestRawsResult> {
  const started = Date.now();
  const listed = await listRawFiles(options.paths);
  const failures: RawFileFailure[] = [...listed.failures];
  const forced = options.instrument === undefined ? undefined : await loadRegisteredInstrument(butler, options.instrument);
  const registered = forced ? [forced] : await listRegisteredInstruments(butler);
  const headers = await readRawHeaders({ files: listed.files, registered, ...(forced ? { instrument: forced } : {}), ...(options.jobs ? { jobs: options.jobs } : {}) });
  const items: RawItem[] = [];
  const seen = new Map<string, string>();
  for (const h of headers) {
    if ('failure' in h) {
      failures.push(h.failure);
      continue;
    }
    const key = JSON.stringify(rawDataId(h.metadata));
    const other = seen.get(key);
    if (other !== undefined) {
      failures.push({ file: h.file, message: `raw file '${h.file}' has the same data ID ${formatDataId(rawDataId(h.metadata))} as '${other}'` });
      continue;
    }
    seen.set(key, h.file);
    const instrument = registered.find((i) => i.name === h.metadata.instrument)!;
    items.push({ file: h.file, meta: h.metadata, instrument, run: options.run ?? instrumentCollections(instrument.name).raw });
  }
  const skipped: string[] = [];
  const fresh = await dropExisting(butler.registry, items, { skipExisting: options.skipExisting === true, skipped, failures });
  if (options.failFast && failures.length > 0) throw new IngestRawsError(failures);
  const refs: DatasetRef[] = [];
  const batchSize = options.failFast ? Number.POSITIVE_INFINITY : Math.max(1, options.batchSize ?? 100);
  for (const run of [...new Set(fresh.map((i) => i.run))]) {
    const forRun = fresh.filter((i) => i.run === run);
    for (let start = 0; start < forRun.length; start += batchSize) {
      const batch = forRun.slice(start, start + batchSize);
      try {
        refs.push(...(await commitRaws(butler, batch, options.transfer ?? 'auto')));
      } catch (err) {
        if (!(err instanceof BpsError)) throw err;
        if (options.failFast) throw new IngestRawsError([{ file: batch.length === 1 ? batch[0]!.file : `${batch.length} files`, message: err.message }], { cause: err });
        // Find the culprit(s): each file alone, so the good ones still go in.
        for (const item of batch) {
          try {
            refs.push(...(await commitRaws(butler, [item], options.transfer ?? 'auto')));
          } catch (one) {
            if (!(one instanceof BpsError)) throw one;
            failures.push({ file: item.file, message: `raw file '${item.file}': ${one.message}` });
          }
        }
      }
    }
  }
  options.logger?.info({ stage: 'ingest-raws', files: listed.files.length + listed.failures.length, ingested: refs.length, skipped: skipped.length, failed: failures.length, durationMs: Date.now() - started }, 'ingest-raws done');
  return { refs, skipped, failures, files: listed.files.length + listed.failures.length };
}

/** Removes items whose raw dataset is already in their run: skipped, or failures naming the file. */
async function dropExisting(registry: Registry, items: readonly RawItem[], out: { skipExisting: boolean; skipped: string[]; failures: RawFileFailure[] }): Promise<RawItem[]> {
  const kept: RawItem[] = [];
  for (const run of [...new Set(items.map((i) => i.run))]) {
    const forRun = items.filter((i) => i.run === run);
    const found = (await registry.findCollection(run)) === undefined
      ? forRun.map(() => undefined)
      : await registry.findDatasets({ datasetType: 'raw', collections: [run], dataIds: forRun.map((i) => rawDataId(i.meta)) });
    forRun.forEach((item, i) => {
      const ref = found[i];
      if (ref === undefined) kept.push(item);
      else if (out.skipExisting) out.skipped.push(item.file);
      else {
        out.failures.push({
          file: item.file,
          message: `raw file '${item.file}' is already ingested: raw ${formatDataId(ref.dataId)} exists in run '${run}' (dataset ${ref.id}); pass --skip-existing to ignore it`,
        });
      }
    });
  }
  return kept;
}

/** Places the files of one run and records them in one transaction; on any error nothing remains. */
async function commitRaws(butler: Butler, items: readonly RawItem[], transfer: TransferMode): Promise<DatasetRef[]> {
  const run = items[0]!.run;
  const records = { day_obs: new Map<string, Record<string, unknown>>(), group: new Map<string, Record<string, unknown>>(), exposure: new Map<string, Record<string, unknown>>() };
  for (const item of items) {
    const made = rawRecords(item.instrument, item.meta);
    for (const element of ['day_obs', 'group', 'exposure'] as const) {
      const record = made[element];
      const key = JSON.stringify([record['instrument'], record['id'] ?? record['name']]);
      const before = records[element].get(key);
      if (before !== undefined && JSON.stringify(before) !== JSON.stringify(record)) {
        throw new ConflictError(`raw file '${item.file}' gives ${element} ${String(record['id'] ?? record['name'])} different values than another file of the same ${element}`);
      }
      records[element].set(key, record);
    }
  }
  const planned = items.map((item) => ({ id: makeUuid7(), dataId: rawDataId(item.meta) }));
  const placed: PlacedArtifact[] = [];
  try {
    for (const item of items) {
      const m = item.meta;
      const dataId = { ...rawDataId(m), physical_filter: m.physical_filter, band: m.band, day_obs: m.day_obs, group: m.group };
      placed.push(await butler.datastore.ingest({
        source: item.file,
        fields: { run, datasetType: 'raw', dataId, records: { exposure: records.exposure.get(JSON.stringify([m.instrument, m.exposure]))! } },
        storageClass: 'Exposure',
        formatter: 'fits',
        mode: transfer,
      }));
    }
  } catch (err) {
    for (const p of placed.reverse()) await p.undo().catch(() => undefined);
    throw err;
  }
  return butler.commitArtifacts(placed, async (registry) => {
    if ((await registry.findCollection(run)) === undefined) await registry.registerRun(run);
    for (const element of ['day_obs', 'group', 'exposure'] as const) await registry.insertDimensionRecords(element, [...records[element].values()], 'sync');
    const refs = await registry.insertDatasets({ datasetType: 'raw', run, dataIds: planned.map((p) => p.dataId), ids: planned.map((p) => p.id) });
    await registry.insertDatastoreRecords(placed.map((p, i) => ({ datasetId: planned[i]!.id, ...p.artifact })));
    return refs;
  });
}
