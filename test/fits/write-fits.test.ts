import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFits, encodeFits, FitsError, FitsHeader, formatCard, readFits, readFitsHeader, writeFits } from '../../src/fits/index.js';

describe('writing FITS files', () => {
  it('round-trips an int16 image with BZERO through a file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fits-'));
    const file = path.join(dir, 'raw.fits');
    const data = Float32Array.from({ length: 12 * 10 }, (_, i) => 30000 + i * 250);
    await writeFits(file, [
      { kind: 'image', header: { EXPTIME: 30, FILTER: 'demo-r', 'ESO DET CHIP': 'A' }, image: { width: 12, height: 10, data, bitpix: 16, bzero: 32768 } },
    ]);
    const bytes = await readFile(file);
    expect(bytes.length % 2880).toBe(0);
    const [hdu] = decodeFits(bytes, file);
    expect(Array.from(hdu!.image!.data)).toEqual(Array.from(data));
    expect(hdu!.header.get('BZERO')).toBe(32768);
    const header = await readFitsHeader(file);
    expect(header.get('FILTER')).toBe('demo-r');
    expect(header.get('ESO DET CHIP')).toBe('A');
  });

  it('clamps and rounds values that do not fit int16', () => {
    const bytes = encodeFits([{ kind: 'image', image: { width: 3, height: 1, data: [1.6, -40000, 40000], bitpix: 16 } }]);
    expect(Array.from(decodeFits(bytes)[0]!.image!.data)).toEqual([2, -32768, 32767]);
  });

  it('round-trips float32 primary, IMAGE extension and BINTABLE HDUs', () => {
    const bytes = encodeFits([
      { kind: 'image', image: { width: 2, height: 2, data: [0.5, -1.25, Number.NaN, 3], bitpix: -32 } },
      { kind: 'image', extname: 'MASK', image: { width: 2, height: 1, data: [1, 2], bitpix: 32 } },
      {
        kind: 'bintable',
        extname: 'REFCAT',
        table: {
          columns: [
            { name: 'id', format: 'K' },
            { name: 'ra', format: 'D', unit: 'deg' },
            { name: 'mag', format: 'E' },
            { name: 'n', format: 'J' },
            { name: 'band', format: 'A', width: 4 },
          ],
          data: { id: [1, 2 ** 40], ra: [359.999999, 0.000001], mag: [20.5, 21.25], n: [-1, 7], band: ['r', 'iiii'] },
        },
      },
    ]);
    const hdus = decodeFits(bytes);
    expect(hdus.map((h) => h.kind)).toEqual(['primary', 'image', 'bintable']);
    const pixels = Array.from(hdus[0]!.image!.data);
    expect(pixels[0]).toBe(0.5);
    expect(Number.isNaN(pixels[2])).toBe(true);
    expect(hdus[1]!.header.get('EXTNAME')).toBe('MASK');
    expect(Array.from(hdus[1]!.image!.data)).toEqual([1, 2]);
    const table = hdus[2]!.table!;
    expect(table.data['id']).toEqual([1, 2 ** 40]);
    expect(table.data['ra']).toEqual([359.999999, 0.000001]);
    expect(table.data['band']).toEqual(['r', 'iiii']);
    expect(table.columns[1]!.unit).toBe('deg');
  });

  it('puts an empty primary HDU in front of a table given first', () => {
    const bytes = encodeFits([{ kind: 'bintable', table: { columns: [{ name: 'x', format: 'E' }], data: { x: [1] } } }]);
    const hdus = decodeFits(bytes);
    expect(hdus.map((h) => h.kind)).toEqual(['primary', 'bintable']);
    expect(hdus[0]!.header.get('EXTEND')).toBe(true);
  });

  it('writes long strings as CONTINUE cards that read back whole', () => {
    const long = "x'y ".repeat(60);
    const header = new FitsHeader().set('HISTORY2', long, 'long');
    const cards = formatCard(header.cards[0]!);
    expect(cards.length).toBeGreaterThan(3);
    expect(cards.every((c) => c.length === 80)).toBe(true);
    expect(cards[1]!.startsWith('CONTINUE  ')).toBe(true);
    const bytes = encodeFits([{ kind: 'image', header }]);
    expect(decodeFits(bytes)[0]!.header.get('HISTORY2')).toBe(long.trimEnd());
  });

  it('formats numbers so that reals stay reals', () => {
    const text = (value: number) => formatCard({ keyword: 'V', value })[0]!.slice(10, 30).trim();
    expect(text(2)).toBe('2');
    expect(text(0.5)).toBe('0.5');
    expect(text(1e-7)).toBe('1.0E-7');
    expect(text(1.5e21)).toBe('1.5E+21');
  });
});

describe('corrupt FITS input', () => {
  const header = (cards: string[]) => Buffer.from([...cards, 'END'].map((c) => c.padEnd(80)).join('').padEnd(2880), 'ascii');

  it('names the keyword and offset of a string without a closing quote', () => {
    const bytes = header(['SIMPLE  =                    T', 'BITPIX  =                    8', 'NAXIS   =                    0', "OBJECT  = 'no end"]);
    const error = (() => {
      try {
        decodeFits(bytes, 'bad.fits');
      } catch (e) {
        return e as FitsError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(FitsError);
    expect(error?.keyword).toBe('OBJECT');
    expect(error?.offset).toBe(240);
    expect(error?.message).toContain("'bad.fits'");
  });

  it('rejects a value that is not a FITS value', () => {
    const bytes = header(['SIMPLE  =                    T', 'BITPIX  =                    8', 'NAXIS   =                    0', 'EXPTIME =            thirty']);
    expect(() => decodeFits(bytes, 'bad.fits')).toThrow(/keyword 'EXPTIME' .* 'thirty' is not a string, logical/);
  });

  it('rejects non-ASCII bytes in a header card', () => {
    const bytes = header(['SIMPLE  =                    T', 'BITPIX  =                    8', 'NAXIS   =                    0']);
    bytes[100] = 0xe9;
    expect(() => decodeFits(bytes, 'bad.fits')).toThrow(/bad header card at byte 80: character code 233 at column 21/);
  });

  it('rejects an unsupported BITPIX', () => {
    const bytes = header(['SIMPLE  =                    T', 'BITPIX  =                   12', 'NAXIS   =                    0']);
    expect(() => decodeFits(bytes, 'bad.fits')).toThrow(/BITPIX = 12 is not one of/);
  });

  it('reports an empty file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fits-'));
    const file = path.join(dir, 'empty.fits');
    await writeFile(file, '');
    await expect(readFitsHeader(file)).rejects.toThrow(/is empty/);
    await expect(readFits(file)).rejects.toThrow(/is empty/);
  });
});
