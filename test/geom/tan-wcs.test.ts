import { describe, expect, it } from 'vitest';
import {
  detectorRegion, makeCdMatrix, makeDetectorWcs, pixelToSky, regionContains, separationDeg, skyToPixel,
  tanWcsFromFitsCards, tanWcsToFitsCards, type TanWcs,
} from '../../src/geom/index.js';

const wcs: TanWcs = { crval: { ra: 150, dec: 2 }, crpix: { x: 100, y: 50 }, cd: makeCdMatrix(0.2) };

describe('gnomonic projection', () => {
  it('maps CRPIX to CRVAL and back', () => {
    const sky = pixelToSky(wcs, { x: 100, y: 50 });
    expect(sky.ra).toBeCloseTo(150, 12);
    expect(sky.dec).toBeCloseTo(2, 12);
    const px = skyToPixel(wcs, { ra: 150.01, dec: 2.02 });
    const back = pixelToSky(wcs, px);
    expect(back.ra).toBeCloseTo(150.01, 10);
    expect(back.dec).toBeCloseTo(2.02, 10);
  });

  it('has north along +y, east along -x and the given pixel scale', () => {
    const up = pixelToSky(wcs, { x: 100, y: 51 });
    const right = pixelToSky(wcs, { x: 101, y: 50 });
    expect(up.dec).toBeGreaterThan(2);
    expect(right.ra).toBeLessThan(150);
    expect(separationDeg(up, wcs.crval) * 3600).toBeCloseTo(0.2, 9);
    expect(separationDeg(right, wcs.crval) * 3600).toBeCloseTo(0.2, 9);
  });

  it('works at RA = 0 and next to the pole', () => {
    const polar: TanWcs = { crval: { ra: 0, dec: 89.999 }, crpix: { x: 0, y: 0 }, cd: makeCdMatrix(1, 30) };
    for (const pixel of [{ x: 5000, y: 0 }, { x: -3000, y: 4000 }]) {
      const px = skyToPixel(polar, pixelToSky(polar, pixel));
      expect(px.x).toBeCloseTo(pixel.x, 6);
      expect(px.y).toBeCloseTo(pixel.y, 6);
    }
    const west = pixelToSky({ ...wcs, crval: { ra: 0, dec: 0 } }, { x: 200, y: 50 });
    expect(west.ra).toBeGreaterThan(359.99);
  });

  it('round-trips FITS WCS keywords with 1-based CRPIX', () => {
    const cards = tanWcsToFitsCards(wcs);
    expect(cards['CRPIX1']).toBe(101);
    expect(tanWcsFromFitsCards(cards)).toEqual(wcs);
    expect(() => tanWcsFromFitsCards({ ...cards, CRVAL2: undefined })).toThrow(/CRVAL2 is missing/);
  });
});

describe('detector WCS', () => {
  const placement = { width: 256, height: 128, offsetX: 200, offsetY: 0, rotationDeg: 90 };

  it('puts the detector centre at its focal-plane offset from the boresight', () => {
    const det = makeDetectorWcs({ boresight: { ra: 150, dec: 0 }, skyAngleDeg: 0, pixelScaleArcsec: 0.2, detector: placement });
    const centre = pixelToSky(det, { x: 127.5, y: 63.5 });
    // +x of the focal plane points west at sky angle 0: 200 px * 0.2" west of the boresight.
    expect((150 - centre.ra) * 3600).toBeCloseTo(40, 5);
    expect(centre.dec).toBeCloseTo(0, 9);
    // Rotated by 90°, the detector's +x axis points along the focal plane's +y (north).
    expect(pixelToSky(det, { x: 128.5, y: 63.5 }).dec).toBeGreaterThan(centre.dec);
  });

  it('gives a region covering the detector and not the boresight', () => {
    const region = detectorRegion({ boresight: { ra: 0, dec: 0 }, skyAngleDeg: 45, pixelScaleArcsec: 0.2, detector: placement });
    const det = makeDetectorWcs({ boresight: { ra: 0, dec: 0 }, skyAngleDeg: 45, pixelScaleArcsec: 0.2, detector: placement });
    expect(region.vertices).toHaveLength(4);
    expect(regionContains(region, pixelToSky(det, { x: 0, y: 0 }))).toBe(true);
    expect(regionContains(region, { ra: 0, dec: 0 })).toBe(false);
  });
});
