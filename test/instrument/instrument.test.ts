import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FitsError, writeFits, type FitsValue } from '../../src/fits/index.js';
import { regionContains, raDecFromVector } from '../../src/geom/index.js';
import {
  computeVisitDetectorRegion, computeVisitRegion, findInstrument, listInstruments, loadInstrument, parseInstrument, readRawMetadata,
} from '../../src/instrument/index.js';

async function writeRaw(header: Record<string, FitsValue>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'raw-'));
  const file = path.join(dir, 'raw.fits');
  await writeFits(file, [{ kind: 'image', header, image: { width: 4, height: 4, data: new Float32Array(16), bitpix: 16, bzero: 32768 } }]);
  return file;
}

const demoHeader: Record<string, FitsValue> = {
  EXPID: 101, DETID: 1, FILTER: 'demo-r', 'DATE-OBS': '2024-03-15T10:00:00.5', EXPTIME: 30.0, RA: 150.001, DEC: 2.002,
  ROTPA: 0, IMAGETYP: 'OBJECT', OBSID: 'DC_101', GROUPID: 'g-101',
};

describe('shipped instruments', () => {
  it('are found by name, case-insensitive name and class path', () => {
    expect(findInstrument('DemoCam').name).toBe('DemoCam');
    expect(findInstrument('democam').name).toBe('DemoCam');
    expect(findInstrument('lsst.obs.subaru.HyperSuprimeCam').name).toBe('HSC');
    expect(listInstruments().map((i) => i.name).sort()).toEqual(['DemoCam', 'HSC']);
  });

  it('lists the known instruments when the name is unknown', () => {
    expect(() => findInstrument('lsst.obs.lsst.LsstCam')).toThrow(/unknown instrument 'lsst.obs.lsst.LsstCam'; known instruments: DemoCam \(/);
  });

  it('DemoCam has two detectors and demo filters mapped to bands', () => {
    const demo = findInstrument('DemoCam');
    expect(demo.detectors.map((d) => d.id)).toEqual([0, 1]);
    expect(demo.filters.find((f) => f.name === 'demo-i')?.band).toBe('i');
  });
});

describe('instrument definition validation', () => {
  const minimal = {
    name: 'Cam', pixelScaleArcsec: 0.2, detectors: [{ id: 0, name: 'A', width: 10, height: 10 }], filters: [{ name: 'f', band: 'r' }],
    rawKeywords: { exposure: 'E', detector: 'D', physical_filter: 'F', datetime_begin: 'T', exposure_time: 'X' },
  };

  it('accepts a minimal definition with keyword shorthands', () => {
    expect(parseInstrument(minimal, 'cam.yaml').rawKeywords.exposure).toEqual({ keyword: 'E', transform: 'none' });
  });

  it('names the file and key of each problem', () => {
    expect(() => parseInstrument({ ...minimal, pixelScaleArcsec: -1 }, 'cam.yaml')).toThrow(/'cam.yaml': key 'pixelScaleArcsec': must be positive/);
    expect(() => parseInstrument({ ...minimal, rawKeywords: { ...minimal.rawKeywords, exposure: undefined } }, 'cam.yaml')).toThrow(/key 'rawKeywords.exposure': is required/);
    expect(() => parseInstrument({ ...minimal, rawKeywords: { ...minimal.rawKeywords, exposure_time: { keyword: 'X', transform: 'weird' } } }, 'cam.yaml')).toThrow(/key 'rawKeywords.exposure_time.transform': must be one of/);
    expect(() => parseInstrument({ ...minimal, detectors: [...minimal.detectors, ...minimal.detectors] }, 'cam.yaml')).toThrow(/key 'detectors': '0' is defined twice/);
    expect(() => parseInstrument({ ...minimal, filters: [{ name: 'f' }] }, 'cam.yaml')).toThrow(/key 'filters\[0\]\.band'/);
  });

  it('reports an unreadable file', () => {
    expect(() => loadInstrument('/nonexistent/cam.yaml')).toThrow(/cannot read instrument definition '\/nonexistent\/cam.yaml'/);
  });
});

describe('readRawMetadata', () => {
  const demo = findInstrument('DemoCam');

  it('reads a DemoCam raw header into a typed record', async () => {
    const meta = await readRawMetadata(demo, await writeRaw(demoHeader));
    expect(meta).toEqual({
      instrument: 'DemoCam', exposure: 101, detector: 1, physical_filter: 'demo-r', band: 'r', day_obs: 20240314,
      group: 'g-101', obs_id: 'DC_101', observation_type: 'science', exposure_time: 30,
      datetime_begin: '2024-03-15T10:00:00.500Z', datetime_end: '2024-03-15T10:00:30.500Z',
      tracking_ra: 150.001, tracking_dec: 2.002, sky_angle: 0,
    });
  });

  it('reads HSC-style headers: exposure from EXP-ID, MJD start, sexagesimal RA/Dec', async () => {
    const hsc = findInstrument('HSC');
    const meta = await readRawMetadata(hsc, await writeRaw({
      'EXP-ID': 'HSCE00904010', 'DET-ID': 10, FILTER01: 'hsc-i', MJD: 56723.5, EXPTIME: 270,
      RA2000: '10:00:30.000', DEC2000: '-02:30:00.0', 'DATA-TYP': 'OBJECT', 'INST-PA': 90,
    }));
    expect([meta.exposure, meta.detector, meta.physical_filter, meta.band, meta.group]).toEqual([904010, 10, 'HSC-I', 'i', '904010']);
    expect(meta.datetime_begin).toBe('2014-03-07T12:00:00.000Z');
    expect(meta.day_obs).toBe(20140307);
    expect(meta.tracking_ra).toBeCloseTo(150.125, 10);
    expect(meta.tracking_dec).toBeCloseTo(-2.5, 10);
  });

  it('names the file and keyword when a keyword is missing', async () => {
    const { EXPID: _omit, ...rest } = demoHeader;
    const file = await writeRaw(rest);
    const error = await readRawMetadata(demo, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FitsError);
    expect((error as FitsError).message).toBe(`raw file '${file}': header keyword 'EXPID' (exposure) is missing`);
    expect((error as FitsError).keyword).toBe('EXPID');
  });

  it('names an unknown filter and lists the known ones', async () => {
    const file = await writeRaw({ ...demoHeader, FILTER: 'demo-q' });
    await expect(readRawMetadata(demo, file)).rejects.toThrow(/gives filter 'demo-q', which is not a filter of DemoCam \(known: demo-g, demo-r, demo-i, demo-z, demo-empty\)/);
  });

  it('rejects invalid values and unknown detectors', async () => {
    await expect(readRawMetadata(demo, await writeRaw({ ...demoHeader, 'DATE-OBS': 'yesterday' }))).rejects.toThrow(/'DATE-OBS' \(datetime_begin\) value 'yesterday' is not an ISO date-time/);
    await expect(readRawMetadata(demo, await writeRaw({ ...demoHeader, IMAGETYP: 'ARC' }))).rejects.toThrow(/value 'ARC' is not one of 'OBJECT', 'BIAS'/);
    await expect(readRawMetadata(demo, await writeRaw({ ...demoHeader, DETID: 7 }))).rejects.toThrow(/gives detector 7, which DemoCam does not have \(known: 0, 1\)/);
  });

  it('reports a file that is not FITS', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'raw-'));
    const file = path.join(dir, 'notes.fits');
    await writeFile(file, 'hello'.repeat(1000));
    await expect(readRawMetadata(demo, file)).rejects.toThrow(/notes.fits' is not a valid FITS file/);
  });
});

describe('visit regions', () => {
  const demo = findInstrument('DemoCam');
  const pointing = { tracking_ra: 359.998, tracking_dec: 0, sky_angle: 0 };

  it('places the two DemoCam detectors south and north of the boresight, across RA = 0', () => {
    const south = computeVisitDetectorRegion(demo, pointing, 0);
    const north = computeVisitDetectorRegion(demo, pointing, 1);
    const centre = (r: typeof south) => raDecFromVector(r.vertices.reduce((a, v) => [a[0] + v[0], a[1] + v[1], a[2] + v[2]] as const, [0, 0, 0] as const));
    expect(centre(south).dec * 3600).toBeCloseTo(-26, 1);
    expect(centre(north).dec * 3600).toBeCloseTo(26, 1);
    expect(regionContains(south, { ra: 0.002, dec: -0.007 })).toBe(true);
    const visit = computeVisitRegion(demo, pointing);
    expect(regionContains(visit, { ra: 359.998, dec: 0 })).toBe(true);
    expect(regionContains(visit, { ra: 0.01, dec: 0 })).toBe(false);
  });

  it('needs a pointing', () => {
    expect(() => computeVisitDetectorRegion(demo, { tracking_ra: null, tracking_dec: null, sky_angle: 0, exposure: 5 }, 0)).toThrow(/exposure 5 of DemoCam has no pointing/);
  });
});
