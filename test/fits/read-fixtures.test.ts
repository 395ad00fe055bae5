import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FitsError, readFits, readFitsHeader } from '../../src/fits/index.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/fits');
const fixture = (name: string) => path.join(fixtures, name);

describe('reading FITS files written by the Python fixture script', () => {
  it('decodes an int16 image with BZERO into unsigned physical values', async () => {
    const [hdu] = await readFits(fixture('int16_bzero.fits'));
    expect(hdu?.kind).toBe('primary');
    const image = hdu!.image!;
    expect([image.width, image.height, image.bitpix]).toEqual([8, 6, 16]);
    expect(image.data[0]).toBe(65535);
    expect(image.data[3 + 2 * 8]).toBe(1000 + 30 + 2);
    expect(hdu!.header.get('OBJECT')).toBe('int16 fixture');
    expect(hdu!.header.get('EXPTIME')).toBe(30.5);
  });

  it('decodes a float32 primary image and a float64 IMAGE extension', async () => {
    const hdus = await readFits(fixture('float32_image.fits'));
    expect(hdus.map((h) => h.kind)).toEqual(['primary', 'image']);
    const primary = hdus[0]!.image!;
    expect(primary.data[4 + 3 * 5]).toBeCloseTo(4 * 0.5 - 3, 6);
    const ext = hdus[1]!;
    expect(ext.header.get('EXTNAME')).toBe('VARIANCE');
    expect(Array.from(ext.image!.data)).toEqual([1, 2, 3, 4, 5, 6].map((i) => 1.0e-10 * i));
  });

  it('joins CONTINUE cards and reads HIERARCH keywords, D exponents and undefined values', async () => {
    const header = await readFitsHeader(fixture('long_header.fits'));
    expect(header.get('LONGSTR')).toBe(
      "This is a long string value that does not fit on one card and therefore continues on CONTINUE cards, it's written by the fixture script.",
    );
    expect(header.get('ESO DET CHIP NAME')).toBe('CCD-42');
    expect(header.get('HIERARCH ESO TEL AIRM START')).toBe(1.234);
    expect(header.get('DVALUE')).toBe(1500);
    expect(header.get('NEGINT')).toBe(-42);
    expect(header.get('FLAG')).toBe(false);
    expect(header.get('QUOTE')).toBe("it's");
    expect(header.get('EMPTY')).toBe('');
    expect(header.get('UNDEF')).toBeNull();
    expect(header.cards.filter((c) => c.keyword === 'COMMENT').map((c) => c.comment)).toEqual(['a comment card']);
  });

  it('reads a binary table with J, K, E, D and A columns', async () => {
    const hdus = await readFits(fixture('bintable.fits'));
    const table = hdus[1]!.table!;
    expect(hdus[1]!.kind).toBe('bintable');
    expect(table.rows).toBe(3);
    expect(table.columns.map((c) => `${c.name}:${c.format}`)).toEqual(['id:J', 'big:K', 'flux:E', 'ra:D', 'name:A']);
    expect(table.columns[2]!.unit).toBe('nJy');
    expect(table.data['id']).toEqual([1, 2, 3]);
    expect(table.data['big']).toEqual([10000000000, -5, 0]);
    expect(table.data['flux']).toEqual([1.5, -2, 0]);
    expect(table.data['ra']).toEqual([3.25, 1e-3, -7.5]);
    expect(table.data['name']).toEqual(['star-one', 'b', '']);
  });

  it('reads only the header blocks of a file whose data is truncated', async () => {
    const header = await readFitsHeader(fixture('truncated.fits'));
    expect(header.get('NAXIS1')).toBe(8);
  });

  it('rejects a truncated file naming the file and the missing bytes', async () => {
    const error = await readFits(fixture('truncated.fits')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FitsError);
    expect((error as FitsError).message).toMatch(/truncated\.fits' is truncated: .* needs 96 bytes/);
    expect((error as FitsError).exitCode).toBe(3);
    expect((error as FitsError).file).toBe(fixture('truncated.fits'));
  });

  it('rejects a header without END in both readers', async () => {
    await expect(readFits(fixture('no_end.fits'))).rejects.toThrow(/no END card/);
    await expect(readFitsHeader(fixture('no_end.fits'))).rejects.toThrow(/no_end\.fits' has no END card/);
  });

  it('rejects a file that is not FITS', async () => {
    await expect(readFitsHeader(fixture('make_fixtures.py'))).rejects.toThrow(/is not a valid FITS file/);
  });
});
