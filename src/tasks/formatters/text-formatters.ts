import { parse, stringify } from 'yaml';
import { buildSkymap, parseSkymapConfig, type Skymap } from '../../skymap/index.js';
import { parseInstrument, type Instrument } from '../../instrument/index.js';
import { TaskInputError } from '../task-errors.js';

const decoder = new TextDecoder();

/** YAML text of a plain value (Config, StructuredDataDict, Packages). */
export function encodeYaml(value: unknown): Buffer {
  return Buffer.from(stringify(value, { sortMapEntries: false }), 'utf8');
}

/** Parses YAML bytes; errors name the file and line. */
export function decodeYaml(bytes: Uint8Array, file = '<buffer>'): unknown {
  try {
    return parse(decoder.decode(bytes));
  } catch (error) {
    throw new TaskInputError(`'${file}' is not valid YAML: ${(error as Error).message}`, { key: file, cause: error });
  }
}

/** JSON text of a plain value (TaskMetadata, ButlerLogRecords), indented, ending with a newline. */
export function encodeJson(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
}

/** Parses JSON bytes; errors name the file. */
export function decodeJson(bytes: Uint8Array, file = '<buffer>'): unknown {
  try {
    return JSON.parse(decoder.decode(bytes));
  } catch (error) {
    throw new TaskInputError(`'${file}' is not valid JSON: ${(error as Error).message}`, { key: file, cause: error });
  }
}

/** A skymap as the YAML of its config (the `SkyMap` storage class). */
export function encodeSkymap(skymap: Skymap): Buffer {
  const { source: _source, ...config } = skymap.config;
  return encodeYaml(config);
}

/** Reads a skymap config written by {@link encodeSkymap} and builds its tracts. */
export function decodeSkymap(bytes: Uint8Array, file = '<buffer>'): Skymap {
  return buildSkymap(parseSkymapConfig(decodeYaml(bytes, file), file));
}

/** An instrument definition as YAML (the `Camera` storage class). */
export function encodeCamera(instrument: Instrument): Buffer {
  const { source: _source, ...definition } = instrument;
  return encodeYaml(definition);
}

/** Reads an instrument definition written by {@link encodeCamera}. */
export function decodeCamera(bytes: Uint8Array, file = '<buffer>'): Instrument {
  return parseInstrument(decodeYaml(bytes, file), file);
}
