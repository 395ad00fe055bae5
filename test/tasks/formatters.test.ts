import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFits } from '../../src/fits/index.js';
import { findInstrument } from '../../src/instrument/index.js';
import { makeCdMatrix } from '../../src/geom/index.js';
import { buildSkymap, findSkymapConfig } from '../../src/skymap/index.js';
import {
  createExposure, decodeDataset, formatOfStorageClass, makeCatalog, maskBit, readDataset, TaskInputError, writeDataset, type Catalog, type Exposure,
} from '../../src/tasks/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tasks-formatters-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function sampleExposure(): Exposure {
  const exposure = createExposure({
    width: 7, height: 5,
    wcs: { crval: { ra: 150, dec: 2 }, crpix: { x: 3, y: 2 }, cd: makeCdMatrix(0.2, 10) },
    xy0: { x: 100, y: 200 },
    metadata: { FILTER: 'demo-i', EXPTIME: 30, OBSERVER: "O'Brien", VISIT: 100 },
  });
  exposure.image.forEach((_, k) => { exposure.image[k] = k * 1.5 - 3; });
  exposure.variance.fill(2.25);
  exposure.mask[4] = maskBit('SAT') | maskBit('DETECTED');
  exposure.zeroPoint = 27.123;
  exposure.psfFwhmPx = 3.9;
  return exposure;
}

async function writeTemp(name: string, bytes: Uint8Array): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  return file;
}

describe('Exposure formatter', () => {
  it('round-trips image, mask, variance, WCS, xy0, zero point, PSF FWHM and metadata', async () => {
    const exposure = sampleExposure();
    const { bytes, extension } = writeDataset('ExposureF', exposure);
    expect(extension).toBe('.fits');
    const back = (await readDataset('ExposureF', await writeTemp('exp.fits', bytes))) as Exposure;
    expect(Array.from(back.image)).toEqual(Array.from(exposure.image));
    expect(Array.from(back.mask)).toEqual(Array.from(exposure.mask));
    expect(Array.from(back.variance)).toEqual(Array.from(exposure.variance));
    expect(back.xy0).toEqual({ x: 100, y: 200 });
    expect(back.zeroPoint).toBeCloseTo(27.123, 10);
    expect(back.psfFwhmPx).toBeCloseTo(3.9, 10);
    expect(back.wcs!.crpix).toEqual({ x: 3, y: 2 });
    expect(back.wcs!.cd[0][1]).toBeCloseTo(exposure.wcs!.cd[0][1], 15);
    expect(back.metadata).toMatchObject({ FILTER: 'demo-i', EXPTIME: 30, OBSERVER: "O'Brien", VISIT: 100 });
  });

  it('writes standard FITS: float32 primary IMAGE, int32 MASK and float32 VARIANCE extensions with WCS cards', async () => {
    const file = await writeTemp('layout.fits', writeDataset('Exposure', sampleExposure()).bytes);
    const hdus = await readFits(file);
    expect(hdus.map((h) => h.header.get('EXTNAME'))).toEqual(['IMAGE', 'MASK', 'VARIANCE']);
    expect(hdus.map((h) => h.header.get('BITPIX'))).toEqual([-32, 32, -32]);
    expect(hdus[0]!.header.get('SIMPLE')).toBe(true);
    expect(hdus[0]!.header.get('EXTEND')).toBe(true);
    expect(hdus[1]!.header.get('XTENSION')).toBe('IMAGE');
    expect(hdus[2]!.header.get('XTENSION')).toBe('IMAGE');
    for (const hdu of hdus) {
      expect([hdu.header.get('NAXIS'), hdu.header.get('NAXIS1'), hdu.header.get('NAXIS2')]).toEqual([2, 7, 5]);
      expect(hdu.header.get('CTYPE1')).toBe('RA---TAN');
      expect(hdu.header.get('LTV1')).toBe(-100);
    }
    expect(hdus[1]!.header.get('MP_SAT')).toBe(1);
    expect(hdus[1]!.header.get('MP_NO_DATA')).toBe(8);
    expect(hdus[0]!.header.get('MAGZERO')).toBeCloseTo(27.123, 10);
  });

  it('writes files that Python reads as FITS: whole 2880-byte blocks, an END card in every header', async () => {
    const file = await writeTemp('python.fits', writeDataset('ExposureF', sampleExposure()).bytes);
    const script = [
      'import sys',
      'data = open(sys.argv[1], "rb").read()',
      'assert len(data) % 2880 == 0, len(data)',
      'pos, hdus = 0, []',
      'while pos < len(data):',
      '    cards = {}',
      '    while True:',
      '        block = data[pos:pos + 2880]; pos += 2880',
      '        done = False',
      '        for i in range(0, 2880, 80):',
      '            card = block[i:i + 80].decode("ascii")',
      '            if card.startswith("END     ") or card.rstrip() == "END": done = True; break',
      '            if card[8:10] == "= ": cards[card[:8].strip()] = card[10:].split("/")[0].strip()',
      '        if done: break',
      '    n = abs(int(cards["BITPIX"])) // 8 * int(cards["NAXIS1"]) * int(cards["NAXIS2"])',
      '    pos += -(-n // 2880) * 2880',
      '    hdus.append(cards.get("EXTNAME", "").strip("\' "))',
      'print(",".join(hdus))',
    ].join('\n');
    expect(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' }).trim()).toBe('IMAGE,MASK,VARIANCE');
  });

  it('reads a DemoCam-style raw (one int16 HDU with BZERO) with an empty mask and variance', async () => {
    const { encodeFits } = await import('../../src/fits/index.js');
    const raw = encodeFits([{ kind: 'image', header: { EXPID: 100, GAIN: 1.0 }, image: { width: 3, height: 2, data: [1000, 1001, 65535, 0, 5, 6], bitpix: 16, bzero: 32768 } }]);
    const exposure = decodeDataset('Exposure', raw, 'raw.fits') as Exposure;
    expect(Array.from(exposure.image)).toEqual([1000, 1001, 65535, 0, 5, 6]);
    expect(Array.from(exposure.mask)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(exposure.wcs).toBeNull();
    expect(exposure.metadata['EXPID']).toBe(100);
  });
});

describe('catalog, background and text formatters', () => {
  it('round-trips a SourceCatalog through a FITS binary table with metadata cards', async () => {
    const catalog = makeCatalog(
      [{ name: 'id', format: 'K' }, { name: 'ra', format: 'D', unit: 'deg' }, { name: 'band', format: 'A', width: 4 }, { name: 'flag', format: 'L' }],
      [{ id: 1, ra: 150.1, band: 'i', flag: true }, { id: 2, ra: 150.2, band: 'r', flag: false }],
      { BAND: 'i', ZP: 27 },
    );
    const file = await writeTemp('cat.fits', writeDataset('SourceCatalog', catalog).bytes);
    const back = (await readDataset('SourceCatalog', file)) as Catalog;
    expect(back.data).toEqual(catalog.data);
    expect(back.metadata).toMatchObject({ BAND: 'i', ZP: 27 });
    const hdus = await readFits(file);
    expect(hdus[1]!.header.get('XTENSION')).toBe('BINTABLE');
    expect(hdus[1]!.header.get('EXTNAME')).toBe('CATALOG');
    expect(hdus[1]!.header.get('TUNIT2')).toBe('deg');
  });

  it('round-trips YAML storage classes, JSON storage classes, backgrounds, skymaps and cameras', () => {
    const config = { doBias: true, nested: { threshold: 5 }, list: [1, 'a'] };
    expect(decodeDataset('Config', writeDataset('Config', config).bytes)).toEqual(config);
    expect(writeDataset('Packages', {}).extension).toBe('.yaml');
    const log = [{ level: 'INFO', message: 'hello', time: '2024-01-01T00:00:00Z' }];
    expect(decodeDataset('ButlerLogRecords', writeDataset('ButlerLogRecords', log).bytes)).toEqual(log);
    expect(writeDataset('TaskMetadata', { a: 1 }).extension).toBe('.json');
    const background = { width: 2, height: 2, binSize: 64, image: Float32Array.from([1, 2, 3, 4]) };
    expect(decodeDataset('Background', writeDataset('Background', background).bytes)).toEqual(background);
    const skymap = buildSkymap(findSkymapConfig('demo'));
    const back = decodeDataset('SkyMap', writeDataset('SkyMap', skymap).bytes, 'skymap.yaml') as typeof skymap;
    expect(back.tracts[0]!.wcs).toEqual(skymap.tracts[0]!.wcs);
    const camera = findInstrument('DemoCam');
    const cameraBack = decodeDataset('Camera', writeDataset('Camera', camera).bytes, 'camera.yaml') as typeof camera;
    expect(cameraBack.detectors).toEqual(camera.detectors);
  });

  it('rejects unknown storage classes and objects of the wrong shape, naming them', () => {
    expect(() => formatOfStorageClass('HealSparseMap')).toThrow(/no formatter for storage class 'HealSparseMap'/);
    expect(() => writeDataset('ExposureF', { not: 'an exposure' })).toThrow(TaskInputError);
    expect(() => decodeDataset('SourceCatalog', writeDataset('ExposureF', sampleExposure()).bytes, 'x.fits')).toThrow(/'x.fits' holds no binary table/);
  });

  it('writes the same bytes for the same object (init-outputs are compared byte for byte)', async () => {
    const a = writeDataset('SourceCatalog', makeCatalog([{ name: 'id', format: 'K' }], []));
    const b = writeDataset('SourceCatalog', makeCatalog([{ name: 'id', format: 'K' }], []));
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    expect((await readFile(await writeTemp('empty.fits', a.bytes))).length % 2880).toBe(0);
  });
});
