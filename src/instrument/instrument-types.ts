/** One detector: id, full name, size in pixels and placement in the focal plane. */
export interface DetectorDef {
  id: number;
  name: string;
  width: number;
  height: number;
  /** Focal-plane offset of the detector centre from the boresight, pixels. */
  focalPlaneX: number;
  focalPlaneY: number;
  /** Rotation of the detector's pixel axes in the focal plane, degrees counter-clockwise. */
  rotationDeg: number;
}

/** A physical filter and the abstract band it belongs to. */
export interface FilterDef {
  name: string;
  band: string;
}

/** Value transforms applied to a raw header value before it is checked. */
export const headerTransforms = ['none', 'isot', 'mjd', 'hms', 'dms', 'int', 'float', 'lower', 'upper'] as const;
export type HeaderTransform = (typeof headerTransforms)[number];

/** How one metadata field is read from a raw FITS header. */
export interface HeaderRule {
  keyword: string;
  transform: HeaderTransform;
  /** Regular expression applied to the string value; capture group 1 (or the whole match) is kept. */
  pattern?: string;
  /** Value mapping applied after the pattern (e.g. IMAGETYP OBJECT → science). */
  map?: Record<string, string>;
  /** Used when the keyword is absent. */
  default?: string | number;
}

/** Metadata fields read from raw headers. */
export const rawFields = [
  'exposure', 'detector', 'physical_filter', 'datetime_begin', 'exposure_time', 'tracking_ra', 'tracking_dec',
  'sky_angle', 'observation_type', 'obs_id', 'group',
] as const;
export type RawField = (typeof rawFields)[number];
/** Fields that must have a rule; the others have defaults. */
export const requiredRawFields: readonly RawField[] = ['exposure', 'detector', 'physical_filter', 'datetime_begin', 'exposure_time'];

/** An instrument definition (from `pipelines/instruments/*.yaml`). */
export interface Instrument {
  /** Short name, used as the `instrument` dimension value. */
  name: string;
  /** Class paths that name this instrument in pipelines (e.g. lsst.obs.subaru.HyperSuprimeCam). */
  classPaths: string[];
  description: string;
  pixelScaleArcsec: number;
  /** Hours added to the observation start before taking its UTC date as day_obs. */
  dayObsOffsetHours: number;
  detectors: DetectorDef[];
  filters: FilterDef[];
  rawKeywords: Partial<Record<RawField, HeaderRule>>;
  /** The YAML file it came from. */
  source: string;
}

/** Observation types recognised after mapping. */
export const observationTypes = ['science', 'bias', 'dark', 'flat', 'other'] as const;

/** Metadata of one raw file, field names as in the reference's exposure/detector records. */
export interface RawMetadata {
  instrument: string;
  exposure: number;
  detector: number;
  physical_filter: string;
  band: string;
  /** Observing day, YYYYMMDD, after the instrument's day-boundary offset. */
  day_obs: number;
  group: string;
  obs_id: string;
  observation_type: string;
  exposure_time: number;
  /** Observation start and end, ISO 8601 UTC with a trailing Z. */
  datetime_begin: string;
  datetime_end: string;
  /** Pointing in degrees (null when the header has none, e.g. for biases). */
  tracking_ra: number | null;
  tracking_dec: number | null;
  /** Position angle of the focal plane's +y axis, degrees east of north. */
  sky_angle: number;
}
