import { mkdtempSync, readdirSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeDemoDataWithCalibs, type DemoDataWithCalibs } from '../../src/butler/index.js';
import { writeFits, type FitsValue } from '../../src/fits/index.js';
import { overlapTable, type Registry } from '../../src/registry/index.js';

/** Default demo data (DemoCam, bands i and r, 4 visits per band, 2 detectors) with master calibs, in a temp dir. */
export async function makeDemoDir(): Promise<{ dir: string; data: DemoDataWithCalibs; cleanup(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'bps-demo-'));
  const data = await makeDemoDataWithCalibs({ dir });
  return { dir, data, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Rows in a registry table, read directly. */
export async function countRows(registry: Registry, table: string): Promise<number> {
  const row = await registry.context.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number((row as { n: unknown }).n);
}

/** Rows of the materialised overlap table of two elements. */
export function countOverlaps(registry: Registry, a: string, b: string): Promise<number> {
  return countRows(registry, overlapTable(a, b));
}

/** Header of a valid DemoCam science raw; tests override or delete (undefined) keywords. */
export function demoRawHeader(exposure: number, detector = 0): Record<string, FitsValue> {
  return {
    INSTRUME: 'DemoCam', EXPID: exposure, DETID: detector, FILTER: 'demo-r', 'DATE-OBS': '2024-03-16T10:00:00', EXPTIME: 30,
    IMAGETYP: 'OBJECT', OBSID: `DemoCam_${exposure}`, GROUPID: String(exposure), RA: 150, DEC: 2, ROTPA: 0,
  };
}

/** Writes a tiny raw FITS file with the given header (keys set to undefined are left out). */
export async function writeRaw(path: string, header: Record<string, FitsValue | undefined>): Promise<string> {
  const cards = Object.fromEntries(Object.entries(header).filter(([, v]) => v !== undefined)) as Record<string, FitsValue>;
  await writeFits(path, [{ kind: 'image', header: cards, image: { width: 4, height: 4, data: new Array(16).fill(1000), bitpix: 16, bzero: 32768 } }]);
  return path;
}

/** FITS files under a directory (recursive): what the datastore holds. */
export function listRepoFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && /\.fits$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}
