import { createHash } from 'node:crypto';
import { ConflictError } from '../errors/index.js';
import { regionToJson } from '../geom/index.js';
import { buildSkymap, findSkymapConfig, listPatches, type SkymapConfig } from '../skymap/index.js';
import { stringify as stringifyYaml } from 'yaml';
import { makeUuid7, type Logger } from '../util/index.js';
import type { Butler } from './butler.js';
import { readObservationRegions, writeOverlaps, type OverlapCounts } from './overlaps.js';

/** What {@link registerSkymap} did. */
export interface RegisterSkymapResult {
  name: string;
  hash: string;
  /** False when the same skymap was registered already (records untouched). */
  created: boolean;
  tracts: number;
  patches: number;
  overlaps: OverlapCounts;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
}

/** SHA-256 (hex) of a skymap config's canonical JSON, without where it was read from. */
export function hashSkymapConfig(config: SkymapConfig): string {
  const { source: _source, ...rest } = config;
  return createHash('sha256').update(JSON.stringify(sortKeys(rest))).digest('hex');
}

/** Tracts written per statement batch, so huge skymaps do not build one giant array. */
const TRACTS_PER_BATCH = 200;

/**
 * Registers a skymap (a config, or a shipped name or YAML file): the skymap record (config hash,
 * tract_max, patch_nx_max, patch_ny_max), tract records and patch records (region = outer region
 * including the border, plus cell_x/cell_y), then the overlaps with every visit already defined.
 * The same config again only refreshes overlaps; a different config under the same name is a
 * ConflictError.
 */
export async function registerSkymap(butler: Butler, what: string | SkymapConfig, options: { logger?: Logger } = {}): Promise<RegisterSkymapResult> {
  const started = Date.now();
  const config = typeof what === 'string' ? findSkymapConfig(what) : what;
  const hash = hashSkymapConfig(config);
  const skymap = buildSkymap(config);
  const patchCount = skymap.tracts.reduce((n, t) => n + t.numPatches.x * t.numPatches.y, 0);
  const result = await butler.registry.transaction(async (registry) => {
    const [existing] = await registry.queryDimensionRecords({ element: 'skymap', dataId: { skymap: config.name } });
    if (existing !== undefined && existing['hash'] !== hash) {
      throw new ConflictError(`Skymap "${config.name}" is already registered with another configuration (hash ${String(existing['hash'])}); "${config.source}" has hash ${hash}.`, {
        hint: 'Give the new configuration another name.',
      });
    }
    if (existing === undefined) {
      await registry.insertDimensionRecords('skymap', [{
        name: config.name,
        hash,
        tract_max: skymap.tracts.length,
        patch_nx_max: Math.max(...skymap.tracts.map((t) => t.numPatches.x)),
        patch_ny_max: Math.max(...skymap.tracts.map((t) => t.numPatches.y)),
      }]);
      for (let start = 0; start < skymap.tracts.length; start += TRACTS_PER_BATCH) {
        const tracts = skymap.tracts.slice(start, start + TRACTS_PER_BATCH);
        await registry.insertDimensionRecords('tract', tracts.map((t) => ({ skymap: config.name, id: t.id, region: regionToJson(t.region) })));
        await registry.insertDimensionRecords('patch', tracts.flatMap((t) => listPatches(t).map((p) => ({
          skymap: config.name, tract: t.id, id: p.id, cell_x: p.cell_x, cell_y: p.cell_y, region: regionToJson(p.region),
        }))));
      }
    }
    const overlaps = await writeOverlaps(registry, await readObservationRegions(registry), [config.name]);
    return { name: config.name, hash, created: existing === undefined, tracts: skymap.tracts.length, patches: patchCount, overlaps };
  });
  await writeSkymapDataset(butler, config);
  options.logger?.info({ stage: 'register-skymap', ...result, durationMs: Date.now() - started }, 'register-skymap done');
  return result;
}

/** Run holding the `skyMap` datasets, as in daf_butler. */
export const SKYMAP_RUN = 'skymaps';

/**
 * Stores the skymap definition as the `skyMap` dataset (storage class SkyMap, YAML) in run
 * `skymaps`, which coadd tasks read; does nothing when it is there already.
 */
async function writeSkymapDataset(butler: Butler, config: SkymapConfig): Promise<void> {
  await butler.registry.registerDatasetType({ name: 'skyMap', dimensions: ['skymap'], storageClass: 'SkyMap' });
  const dataId = { skymap: config.name };
  if ((await butler.registry.findCollection(SKYMAP_RUN)) && (await butler.registry.findDataset('skyMap', dataId, [SKYMAP_RUN]))) return;
  const { source: _source, ...definition } = config;
  const ref = { id: makeUuid7(), datasetType: 'skyMap', dataId, run: SKYMAP_RUN };
  const placed = await butler.datastore.write({
    fields: { run: SKYMAP_RUN, datasetType: 'skyMap', dataId },
    storageClass: 'SkyMap',
    formatter: 'yaml',
    extension: '.yaml',
    bytes: Buffer.from(stringifyYaml(definition)),
  });
  await butler.commitArtifacts([placed], async (registry) => {
    await registry.registerRun(SKYMAP_RUN);
    await registry.insertDatasets({ datasetType: 'skyMap', run: SKYMAP_RUN, dataIds: [dataId], ids: [ref.id] });
    await registry.insertDatastoreRecords([{ datasetId: ref.id, ...placed.artifact }]);
  });
}
