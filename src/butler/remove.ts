import type { DatasetRef } from '../registry/index.js';
import type { Butler } from './butler.js';

/**
 * Deletes RUN collections, their datasets and their files. Registry first (one transaction), then
 * files: a crash in between leaves only unreferenced files, never records without files.
 */
export async function removeRuns(butler: Butler, runs: readonly string[]): Promise<{ datasets: number; files: number }> {
  const artifacts = await butler.registry.removeRuns(runs);
  const files = await butler.datastore.removeFiles(artifacts.map((a) => a.path));
  return { datasets: artifacts.length, files };
}

/** Deletes datasets from the registry (purge) or only their files (unstore). */
export async function pruneDatasets(butler: Butler, refs: readonly DatasetRef[], mode: 'purge' | 'unstore'): Promise<{ datasets: number; files: number }> {
  if (mode === 'purge') {
    const artifacts = await butler.registry.removeDatasets(refs.map((r) => r.id));
    return { datasets: refs.length, files: await butler.datastore.removeFiles(artifacts.map((a) => a.path)) };
  }
  const records = await butler.registry.getDatastoreRecords(refs.map((r) => r.id));
  await butler.registry.removeDatastoreRecords([...records.keys()]);
  return { datasets: 0, files: await butler.datastore.removeFiles([...records.values()].map((r) => r.path)) };
}

/** Copies the files of datasets into a directory, keeping their datastore-relative paths. */
export async function retrieveArtifacts(butler: Butler, refs: readonly DatasetRef[], options: { destination: string; clobber: boolean }): Promise<string[]> {
  const records = await butler.artifactsOf(refs);
  const out: string[] = [];
  for (const [i, rec] of records.entries()) {
    if (!rec) continue;
    const rel = rec.path.startsWith('/') ? `${refs[i]!.run}/${rec.path.split('/').pop() ?? refs[i]!.id}` : rec.path;
    out.push(await butler.datastore.retrieve(rec.path, options.destination, rel, options.clobber));
  }
  return out;
}
