import type { FitsColumn } from '../../fits/index.js';
import { skyToPixel } from '../../geom/index.js';
import { catalogRows, isCatalog, makeCatalog, type Catalog, type CatalogRow } from '../science/catalog.js';
import { isExposure, type Exposure } from '../science/exposure.js';
import { applyApertureCorrection, fwhmPerSigma, makeSourceCatalog, measureAt, sourceColumns } from '../science/sources.js';
import { TaskFailedError } from '../task-errors.js';
import { configNumber, getInput, getInputs, inputValue, makeOutput } from '../task-helpers.js';
import type { BuiltinTask, TaskContext, TaskOutputs } from '../task-types.js';
import { readPriorityList } from './coadd-detection-tasks.js';

/** Measures a catalog's objects (by their ra/dec) on an exposure; ids are kept. */
function measureObjects(ctx: TaskContext, exposure: Exposure, objects: CatalogRow[], recentroid: boolean): Catalog {
  if (exposure.wcs === null) throw new TaskFailedError(`task '${ctx.label}': the coadd has no WCS`, { task: ctx.label });
  const wcs = exposure.wcs;
  const positions = objects.map((o) => ({ id: o['id'] as number, significance: Number(o['significance'] ?? Number.NaN), ...skyToPixel(wcs, { ra: o['ra'] as number, dec: o['dec'] as number }) }));
  const psfSigmaPx = (exposure.psfFwhmPx ?? configNumber(ctx, 'psfFwhmGuessPx', 4)) / fwhmPerSigma;
  const sources = measureAt(exposure, positions, { psfSigmaPx, apertureRadius: configNumber(ctx, 'apertureRadius', 8), recentroid });
  const apCorr = exposure.metadata['APCORR'];
  applyApertureCorrection(sources, typeof apCorr === 'number' && apCorr > 0 ? apCorr : 1);
  return makeSourceCatalog(exposure, sources, { BAND: String(ctx.dataId['band'] ?? '') });
}

/**
 * A task that measures the objects of a catalog input on the coadd input `exposure` and writes
 * them to one output connection (recentroiding or not).
 */
function measureOnCoadd(o: { catalog: string; output: string; recentroid: boolean; done: string }): (ctx: TaskContext) => Promise<TaskOutputs> {
  return async (ctx) => {
    const exposure = inputValue(ctx, getInput(ctx, 'exposure'), isExposure, 'an Exposure');
    const objects = catalogRows(inputValue(ctx, getInput(ctx, o.catalog), isCatalog, 'a SourceCatalog'));
    const catalog = measureObjects(ctx, exposure, objects, o.recentroid);
    ctx.log.info({ task: ctx.label, dataId: ctx.dataId, objects: objects.length }, o.done);
    return { [o.output]: makeOutput(ctx, o.output, catalog) };
  };
}

/** `lsst.pipe.tasks.multiBand.MeasureMergedCoaddSourcesTask` as a built-in task (no deblender). */
export const measureMergedCoaddSourcesTask: BuiltinTask = {
  className: 'lsst.pipe.tasks.multiBand.MeasureMergedCoaddSourcesTask',
  loadInputs: true,
  run: measureOnCoadd({ catalog: 'sourceCatalog', output: 'outputSources', recentroid: true, done: 'coadd sources measured' }),
  makeInitOutputs: () => ({ outputSchema: makeCatalog(sourceColumns, []) }),
};

const refColumns: FitsColumn[] = [
  ...sourceColumns.filter((c) => !['flux', 'fluxErr', 'apFlux', 'apFluxErr', 'mag', 'magErr'].includes(c.name)),
  { name: 'refBand', format: 'A', width: 8 }, { name: 'refSnr', format: 'D' },
];

/**
 * Chooses each object's reference band: the first band of `priorityList` where it has PSF S/N ≥
 * `minSN` (default 10) and a good centroid, else its highest-S/N band; copies that band's
 * position and shape.
 */
async function runMergeMeasurements(ctx: TaskContext): Promise<TaskOutputs> {
  const inputs = getInputs(ctx, 'catalogs');
  const byBand = new Map(inputs.map((input) => [String(input.dataId['band']), catalogRows(inputValue(ctx, input, isCatalog, 'a SourceCatalog'))]));
  const bands = readPriorityList(ctx, [...byBand.keys()]);
  const minSn = configNumber(ctx, 'minSN', 10);
  const first = byBand.get(bands[0]!) ?? [];
  const index = new Map(bands.map((b) => [b, new Map((byBand.get(b) ?? []).map((r) => [r['id'] as number, r]))]));
  const rows = first.map((row) => {
    const id = row['id'] as number;
    const candidates = bands.map((band) => {
      const r = index.get(band)!.get(id);
      const snr = r === undefined ? Number.NaN : (r['flux'] as number) / (r['fluxErr'] as number);
      return { band, r, snr: Number.isFinite(snr) ? snr : -Infinity };
    });
    const chosen = candidates.find((c) => c.r !== undefined && c.snr >= minSn && c.r['flag_centroid'] !== true)
      ?? candidates.reduce((best, c) => (c.snr > best.snr ? c : best));
    const source = chosen.r ?? row;
    const out: CatalogRow = {};
    for (const column of refColumns) if (source[column.name] !== undefined) out[column.name] = source[column.name]!;
    out['id'] = id;
    out['refBand'] = chosen.band;
    out['refSnr'] = chosen.snr;
    return out;
  });
  ctx.log.info({ task: ctx.label, dataId: ctx.dataId, bands, objects: rows.length }, 'measurements merged');
  return { mergedCatalog: makeOutput(ctx, 'mergedCatalog', makeCatalog(refColumns, rows, { BANDS: bands.join(',') })) };
}

/** `lsst.pipe.tasks.mergeMeasurements.MergeMeasurementsTask` as a built-in task. */
export const mergeMeasurementsTask: BuiltinTask = {
  className: 'lsst.pipe.tasks.mergeMeasurements.MergeMeasurementsTask',
  loadInputs: true,
  run: runMergeMeasurements,
  makeInitOutputs: () => ({ outputSchema: makeCatalog(refColumns, []) }),
};

/** `lsst.meas.base.forcedPhotCoadd.ForcedPhotCoaddTask` as a built-in task. */
export const forcedPhotCoaddTask: BuiltinTask = {
  className: 'lsst.meas.base.forcedPhotCoadd.ForcedPhotCoaddTask',
  loadInputs: true,
  // Forced photometry: PSF and aperture fluxes at the reference positions, no recentroiding.
  run: measureOnCoadd({ catalog: 'refCat', output: 'measCat', recentroid: false, done: 'forced photometry done' }),
  makeInitOutputs: () => ({ outputSchema: makeCatalog(sourceColumns, []) }),
};
