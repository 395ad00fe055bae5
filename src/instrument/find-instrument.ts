import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NotFoundError } from '../errors/index.js';
import type { Instrument } from './instrument-types.js';
import { loadInstrument } from './parse-instrument.js';

/** Folder of the instrument definitions shipped with bps-ts. */
export function shippedInstrumentDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../pipelines/instruments');
}

/** Every instrument defined by the YAML files of the given folders (default: the shipped ones). */
export function listInstruments(dirs: readonly string[] = [shippedInstrumentDir()]): Instrument[] {
  const out: Instrument[] = [];
  for (const dir of dirs) {
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort();
    for (const file of files) out.push(loadInstrument(path.join(dir, file)));
  }
  return out;
}

/**
 * An instrument by short name (case-insensitive), by one of its class paths
 * (`lsst.obs.subaru.HyperSuprimeCam` → HSC), or by the path of a YAML file.
 */
export function findInstrument(nameOrClassPath: string, dirs?: readonly string[]): Instrument {
  if (/\.ya?ml$/.test(nameOrClassPath)) return loadInstrument(nameOrClassPath);
  const all = listInstruments(dirs);
  const wanted = nameOrClassPath.trim();
  const found =
    all.find((i) => i.name === wanted) ??
    all.find((i) => i.classPaths.includes(wanted)) ??
    all.find((i) => i.name.toLowerCase() === wanted.toLowerCase());
  if (found === undefined) {
    throw new NotFoundError(
      `unknown instrument '${wanted}'; known instruments: ${all.map((i) => `${i.name} (${[...i.classPaths].join(', ') || 'no class paths'})`).join('; ')}`,
      { hint: 'pass the path of an instrument YAML file, or add one to pipelines/instruments/' },
    );
  }
  return found;
}
