/**
 * Instruments defined by YAML files (`pipelines/instruments/*.yaml`): short name, class-path
 * aliases, pixel scale, detectors and their focal-plane placement, physical filters and bands,
 * and the rules that turn raw FITS header keywords into exposure/detector metadata.
 * @packageDocumentation
 */

/** Instrument, detector, filter, header-rule and raw-metadata types and their `as const` lists. */
export { headerTransforms, observationTypes, rawFields, requiredRawFields } from './instrument-types.js';
export type { DetectorDef, FilterDef, HeaderRule, HeaderTransform, Instrument, RawField, RawMetadata } from './instrument-types.js';

/** `parseInstrument(doc, file)` validates a parsed YAML document; `loadInstrument(file)` reads one. */
export { loadInstrument, parseInstrument } from './parse-instrument.js';

/** `findInstrument(nameOrClassPath, dirs?)` and `listInstruments(dirs?)` over the shipped YAML files. */
export { findInstrument, listInstruments, shippedInstrumentDir } from './find-instrument.js';

/**
 * `readRawMetadata(instrument, fitsPath)` reads only the header of a raw file;
 * `extractRawMetadata(instrument, header, file)` is the pure part. Errors name the file and keyword.
 */
export { extractRawMetadata, readRawMetadata } from './read-raw-metadata.js';

/** Sky regions of visit-detectors and visits from a pointing and the instrument geometry (for define-visits). */
export { computeVisitDetectorRegion, computeVisitRegion } from './visit-regions.js';
export type { Pointing } from './visit-regions.js';
