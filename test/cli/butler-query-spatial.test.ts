import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePoint, regionFromJson, regionsOverlap } from '../../src/geom/index.js';
import { backends, type TestDatabase } from '../support/backends.js';
import { runBin } from '../support/cli.js';

const butler = (...args: string[]) => runBin('butler-ts', args);

let work: string;
let demoDir: string;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'bps-spatial-cli-'));
  demoDir = join(work, 'demo');
  const made = await butler('make-demo-data', demoDir, '--bands', 'r', '--visits-per-band', '2', '--json');
  expect(made.exitCode, made.stderr).toBe(0);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface RegionRecord {
  readonly region: object | null;
  readonly [key: string]: unknown;
}

describe.each(backends)('butler-ts query-data-ids with spatial where-clauses on $name', ({ make }) => {
  let db: TestDatabase;
  let repo: string;
  beforeAll(async () => {
    db = make();
    repo = join(work, `repo-${db.backend}`);
    const created = await butler('create', repo, ...(db.backend === 'postgresql' ? ['--db', db.url, '--namespace', db.namespace as string] : []));
    expect(created.exitCode, created.stderr).toBe(0);
    const setup = await butler('setup-demo', repo, demoDir, '--json');
    expect(setup.exitCode, setup.stderr).toBe(0);
  });
  afterAll(async () => db.cleanup());

  const records = async (element: string): Promise<RegionRecord[]> => {
    const out = await butler('query-dimension-records', repo, element, '--json');
    expect(out.exitCode, out.stderr).toBe(0);
    return JSON.parse(out.stdout) as RegionRecord[];
  };
  const dataIds = async (dims: string[], where: string, bind: string[] = []): Promise<Record<string, unknown>[]> => {
    const out = await butler('query-data-ids', repo, ...dims, '--where', where, ...bind.flatMap((b) => ['--bind', b]), '--json');
    expect(out.exitCode, out.stderr).toBe(0);
    return JSON.parse(out.stdout) as Record<string, unknown>[];
  };

  it('returns exactly the visit-detectors and patches whose stored regions contain the point', async () => {
    const vdr = await records('visit_detector_region');
    const patches = await records('patch');
    const first = vdr.find((r) => r.region !== null);
    expect(first).toBeDefined();
    const vertices = (first!.region as { polygon: [number, number][] }).polygon;
    const ra = vertices.reduce((s, v) => s + v[0], 0) / vertices.length;
    const dec = vertices.reduce((s, v) => s + v[1], 0) / vertices.length;
    const point = makePoint(ra, dec);
    const inside = (rows: RegionRecord[], key: (r: RegionRecord) => string): string[] =>
      rows.filter((r) => r.region !== null && regionsOverlap(regionFromJson(r.region), point)).map(key).sort();
    const vd = (r: Record<string, unknown>): string => `${r['visit']}/${r['detector']}`;
    const expected = inside(vdr, vd);
    expect(expected).toContain(vd(first!));
    const found = await dataIds(['visit', 'detector'], 'visit_detector_region.region OVERLAPS POINT(:ra, :dec)', [`ra=${ra}`, `dec=${dec}`]);
    expect(found.map(vd).sort()).toEqual(expected);
    const tp = (r: Record<string, unknown>): string => `${r['tract']}/${r['patch']}`;
    const foundPatches = await dataIds(['patch'], `patch OVERLAPS POINT(${ra}, ${dec})`);
    expect(foundPatches.map(tp).sort()).toEqual(inside(patches, (r) => `${r['tract']}/${r['id']}`));
    expect(foundPatches.length).toBeGreaterThan(0);
    expect(await dataIds(['visit', 'detector'], `visit_detector_region.region OVERLAPS CIRCLE(${ra + 180}, ${-dec}, 1)`)).toEqual([]);
  });

  it('fails with the expression exit code and a caret for a Dec outside [-90, 90]', async () => {
    const out = await butler('query-data-ids', repo, 'visit', '--where', 'visit.region OVERLAPS POINT(150, 91)');
    expect(out.exitCode).toBe(6);
    expect(out.stderr).toContain('Dec 91 is outside [-90, 90]');
    expect(out.stderr).toContain('visit.region OVERLAPS POINT(150, 91)\n');
    expect(out.stderr).toMatch(/\n\s+\^{5,}/);
  });
});
