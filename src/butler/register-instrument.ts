import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { writeAtomic } from '../datastore/index.js';
import { BpsError, ConflictError, NotFoundError } from '../errors/index.js';
import { findInstrument, loadInstrument, type Instrument } from '../instrument/index.js';
import type { Registry } from '../registry/index.js';
import type { Butler } from './butler.js';

/** Folder of a repository holding the definitions of its registered instruments. */
export const INSTRUMENT_DIR = 'instruments';

/** Collection names of an instrument, as obs_base's Instrument names them. */
export function instrumentCollections(name: string): { raw: string; calib: string; unboundedCalib: string; defaults: string } {
  return { raw: `${name}/raw/all`, calib: `${name}/calib`, unboundedCalib: `${name}/calib/unbounded`, defaults: `${name}/defaults` };
}

/** What {@link registerInstrument} did. */
export interface RegisterInstrumentResult {
  instrument: Instrument;
  /** Dimension records added (0 when everything was registered already). */
  recordsInserted: number;
  collectionsCreated: string[];
  datasetTypeCreated: boolean;
}

/** The instrument record of the registry for an instrument definition. */
function instrumentRecords(instrument: Instrument): Record<string, Record<string, unknown>[]> {
  const bands = [...new Set(instrument.filters.map((f) => f.band))];
  return {
    instrument: [{
      name: instrument.name,
      class_name: instrument.classPaths[0] ?? instrument.name,
      detector_max: Math.max(...instrument.detectors.map((d) => d.id)) + 1,
      exposure_max: 2 ** 31 - 1,
      visit_max: 2 ** 31 - 1,
    }],
    band: bands.map((name) => ({ name })),
    physical_filter: instrument.filters.map((f) => ({ instrument: instrument.name, name: f.name, band: f.band })),
    detector: instrument.detectors.map((d) => {
      const [raft, inRaft] = d.name.includes('_') ? d.name.split('_', 2) : [null, d.name];
      return { instrument: instrument.name, id: d.id, full_name: d.name, raft, name_in_raft: inRaft, purpose: 'SCIENCE' };
    }),
  };
}

/** The definition as stored in the repository (without the machine-specific source path). */
function definitionText(instrument: Instrument): string {
  const { source: _source, ...rest } = instrument;
  return stringifyYaml(rest);
}

/**
 * Registers an instrument (a definition, its short name or class path, or a YAML file): the
 * instrument, band, physical_filter and detector records, the collections `<I>/raw/all` (RUN),
 * `<I>/calib` (CALIBRATION) and `<I>/calib/unbounded` (RUN), and the `raw` dataset type. A copy of
 * the definition is kept in `REPO/instruments/<name>.yaml` so later ingests use exactly it.
 * Registering the same definition again changes nothing; a different one is a ConflictError.
 */
export async function registerInstrument(butler: Butler, what: string | Instrument): Promise<RegisterInstrumentResult> {
  const instrument = typeof what === 'string' ? findInstrument(what) : what;
  const copy = join(butler.repo, INSTRUMENT_DIR, `${instrument.name}.yaml`);
  const text = definitionText(instrument);
  if (existsSync(copy) && readFileSync(copy, 'utf8') !== text) {
    throw new ConflictError(`Instrument "${instrument.name}" from "${instrument.source}" differs from the definition registered in this repository ("${copy}").`, {
      hint: 'Register it under another name, or use the registered definition.',
    });
  }
  const result = await butler.registry.transaction(async (registry) => {
    let recordsInserted = 0;
    try {
      for (const [element, records] of Object.entries(instrumentRecords(instrument))) {
        recordsInserted += await registry.insertDimensionRecords(element, records, 'sync');
      }
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      throw new ConflictError(`Instrument "${instrument.name}" from "${instrument.source}" conflicts with the registered one: ${err.message}`, {
        cause: err,
        hint: 'The repository already holds a different definition of this instrument; register it under another name.',
      });
    }
    const names = instrumentCollections(instrument.name);
    const collectionsCreated: string[] = [];
    for (const [name, type] of [[names.raw, 'RUN'], [names.calib, 'CALIBRATION'], [names.unboundedCalib, 'RUN']] as const) {
      if ((await registry.registerCollection(name, type)).created) collectionsCreated.push(name);
    }
    const { created } = await registry.registerDatasetType({ name: 'raw', dimensions: ['instrument', 'exposure', 'detector'], storageClass: 'Exposure' });
    return { instrument, recordsInserted, collectionsCreated, datasetTypeCreated: created };
  });
  if (!existsSync(copy)) await writeAtomic(copy, text);
  return result;
}

/**
 * The definition of an instrument registered in the repository: the copy kept at registration,
 * else the shipped definition named by the record's class_name. NotFoundError when unregistered.
 */
export async function loadRegisteredInstrument(butler: Butler, name: string, registry: Registry = butler.registry): Promise<Instrument> {
  const [record] = await registry.queryDimensionRecords({ element: 'instrument', dataId: { instrument: name } });
  if (record === undefined) {
    const known = (await registry.queryDimensionRecords({ element: 'instrument' })).map((r) => String(r['name']));
    throw new NotFoundError(`Instrument "${name}" is not registered in "${butler.repo}" (registered: ${known.join(', ') || 'none'}).`, {
      hint: `Register it first: butler-ts register-instrument ${butler.repo} ${name}`,
    });
  }
  const copy = join(butler.repo, INSTRUMENT_DIR, `${name}.yaml`);
  if (existsSync(copy)) return loadInstrument(copy);
  try {
    return findInstrument(String(record['class_name'] ?? name));
  } catch (err) {
    if (!(err instanceof BpsError)) throw err;
    throw new NotFoundError(`Instrument "${name}" is registered, but its definition is neither in "${copy}" nor shipped (class ${String(record['class_name'])}).`, {
      cause: err,
      hint: `Register its YAML file again: butler-ts register-instrument ${butler.repo} FILE`,
    });
  }
}

/** Definitions of every instrument registered in the repository. */
export async function listRegisteredInstruments(butler: Butler): Promise<Instrument[]> {
  const records = await butler.registry.queryDimensionRecords({ element: 'instrument' });
  return Promise.all(records.map((r) => loadRegisteredInstrument(butler, String(r['name']))));
}
