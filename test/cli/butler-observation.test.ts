import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFits } from '../../src/fits/index.js';
import { backends, type TestDatabase } from '../support/backends.js';
import { runBin } from '../support/cli.js';

const butler = (...args: string[]) => runBin('butler-ts', args);

let work: string;
let demoDir: string;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'bps-obs-cli-'));
  demoDir = join(work, 'demo');
  const made = await butler('make-demo-data', demoDir, '--json');
  expect(made.exitCode, made.stderr).toBe(0);
  expect(JSON.parse(made.stdout)).toMatchObject({ raw: 28, calibs: 6 });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('butler-ts make-demo-data', () => {
  it('honours --bands, --visits-per-band and --detectors, and rejects a bad number', async () => {
    const small = await butler('make-demo-data', join(work, 'small'), '--bands', 'r', '--visits-per-band', '2', '--detectors', '1', '--seed', '3', '--json');
    expect(small.exitCode, small.stderr).toBe(0);
    // 2 biases + 2 flats + 2 science exposures, one detector; one bias and one flat master.
    expect(JSON.parse(small.stdout)).toMatchObject({ raw: 6, calibs: 2 });
    const bad = await butler('make-demo-data', join(work, 'bad'), '--visits-per-band', 'two');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--visits-per-band "two"');
  });
});

describe.each(backends)('butler-ts observation commands on $name', ({ make }) => {
  let db: TestDatabase;
  let dir: string;
  const newRepo = async (name: string): Promise<string> => {
    const repo = join(dir, name);
    const created = await butler('create', repo, ...(db.backend === 'postgresql' ? ['--db', db.url, '--namespace', `${db.namespace}_${name}`] : []));
    expect(created.exitCode, created.stderr).toBe(0);
    return repo;
  };
  beforeAll(() => {
    db = make();
    dir = mkdtempSync(join(tmpdir(), 'bps-obs-repo-'));
  });
  afterAll(async () => {
    await db.cleanup();
    if (db.backend === 'postgresql') {
      for (const name of ['chain', 'bad', 'demo']) await dropSchema(`${db.namespace}_${name}`);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers, ingests, defines visits and registers the skymap; query-data-ids sees 16 visit-detectors and 32 visit-patches', async () => {
    const repo = await newRepo('chain');
    const reg = await butler('register-instrument', repo, 'DemoCam');
    expect(reg.exitCode, reg.stderr).toBe(0);
    expect(reg.stdout).toContain('Registered instrument DemoCam');
    expect((await butler('register-instrument', repo, 'DemoCam')).stdout).toContain('already registered');
    const ingest = await butler('ingest-raws', repo, join(demoDir, 'raw'), '-j', '3', '-t', 'symlink');
    expect(ingest.exitCode, ingest.stderr).toBe(0);
    expect(ingest.stdout).toContain('Ingested 28 of 28 raw file(s) into DemoCam/raw/all');
    const visits = await butler('define-visits', repo, 'DemoCam', '--json');
    expect(visits.exitCode, visits.stderr).toBe(0);
    expect(JSON.parse(visits.stdout)).toMatchObject({ visits: 8, visitDetectorRegions: 16 });
    const skymap = await butler('register-skymap', repo, 'demo', '--json');
    expect(skymap.exitCode, skymap.stderr).toBe(0);
    expect(JSON.parse(skymap.stdout)).toMatchObject({ name: 'demo', tracts: 1, patches: 4, overlaps: { visitPatch: 32, visitTract: 8 } });
    const vd = await butler('query-data-ids', repo, 'visit', 'detector', '--json');
    expect(vd.exitCode, vd.stderr).toBe(0);
    expect(JSON.parse(vd.stdout)).toHaveLength(16);
    const vp = await butler('query-data-ids', repo, 'visit', 'patch', '--where', "skymap='demo'", '--json');
    expect(vp.exitCode, vp.stderr).toBe(0);
    expect(JSON.parse(vp.stdout)).toHaveLength(32);
    const again = await butler('ingest-raws', repo, join(demoDir, 'raw'), '--skip-existing');
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toContain('Ingested 0 of 28 raw file(s); 28 already ingested; 0 failed.');
  });

  it('reports bad raw files by name and keyword with a non-zero exit code, and ingests nothing with --fail-fast', async () => {
    const repo = await newRepo('bad');
    expect((await butler('register-instrument', repo, 'DemoCam')).exitCode).toBe(0);
    const input = join(dir, 'bad-input');
    mkdirSync(input, { recursive: true });
    copyFileSync(join(demoDir, 'raw', 'DemoCam_science_000100_det000.fits'), join(input, 'good.fits'));
    writeFileSync(join(input, 'corrupt.fits'), 'SIMPLE  = garbage');
    await writeFits(join(input, 'no-expid.fits'), [{ kind: 'image', header: { INSTRUME: 'DemoCam', DETID: 0, FILTER: 'demo-r', 'DATE-OBS': '2024-03-16T10:00:00', EXPTIME: 30 } }]);
    const failFast = await butler('ingest-raws', repo, input, '--fail-fast');
    expect(failFast.exitCode).toBe(3);
    expect(failFast.stderr).toContain('nothing was ingested');
    expect((await butler('query-datasets', repo, 'raw', '--collections', 'DemoCam/raw/all', '--json')).stdout).toMatch(/^\[\s*\]/);
    const run = await butler('ingest-raws', repo, input);
    expect(run.exitCode).toBe(3);
    expect(run.stdout).toContain('Ingested 1 of 3 raw file(s)');
    expect(run.stderr).toContain(join(input, 'corrupt.fits'));
    expect(run.stderr).toContain(`'${join(input, 'no-expid.fits')}': header keyword 'EXPID'`);
    const rerun = await butler('ingest-raws', repo, join(input, 'good.fits'));
    expect(rerun.exitCode).toBe(3);
    expect(rerun.stderr).toContain(`raw file '${join(input, 'good.fits')}' is already ingested`);
  });

  it('sets up the demo repository in one command, printing one line per step', async () => {
    const repo = await newRepo('demo');
    const setup = await butler('setup-demo', repo, demoDir);
    expect(setup.exitCode, setup.stderr).toBe(0);
    const lines = setup.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(':')[0])).toEqual([
      'register-instrument', 'ingest-raws', 'define-visits', 'register-skymap', 'register-dataset-types', 'ingest-calibs', 'ingest-refcat', 'collection-chain',
    ]);
    const chain = await butler('query-collections', repo, 'DemoCam/defaults', '--json');
    expect(chain.stdout).toContain('DemoCam/calib');
    const calibs = await butler('query-datasets', repo, 'bias', 'flat', '--collections', 'DemoCam/calib/demo', '--json');
    expect(JSON.parse(calibs.stdout)).toHaveLength(6);
  });
});

async function dropSchema(name: string): Promise<void> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: process.env['BPS_TEST_PG_URL'] });
  await client.connect();
  await client.query(`drop schema if exists ${name} cascade`);
  await client.end();
}
