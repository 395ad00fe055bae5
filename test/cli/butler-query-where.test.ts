import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, type TestDatabase } from '../support/backends.js';
import { runBin } from '../support/cli.js';

const RECORDS = {
  instrument: '- {name: HSC}\n',
  band: '- {name: r}\n- {name: i}\n',
  physical_filter: '- {instrument: HSC, name: HSC-R, band: r}\n- {instrument: HSC, name: HSC-I, band: i}\n',
  detector: '- {instrument: HSC, id: 0, full_name: "1_53"}\n- {instrument: HSC, id: 1, full_name: "0_20"}\n',
  day_obs: '- {instrument: HSC, id: 20240101}\n',
  visit: [1, 2, 3, 4].map((v) => `- {instrument: HSC, id: ${v}, physical_filter: ${v <= 2 ? 'HSC-R' : 'HSC-I'}, day_obs: 20240101, exposure_time: ${v * 10}}\n`).join(''),
};

describe.each(backends)('butler-ts where-clause commands on $name', ({ make }) => {
  let dir: string;
  let repo: string;
  let db: TestDatabase;
  const butler = (...args: string[]) => runBin('butler-ts', args);

  beforeAll(async () => {
    db = make();
    dir = mkdtempSync(join(tmpdir(), 'bps-cli-where-'));
    repo = join(dir, 'repo');
    expect((await butler('create', repo, ...(db.backend === 'postgresql' ? db.cliArgs : []))).exitCode).toBe(0);
    for (const [element, text] of Object.entries(RECORDS)) {
      writeFileSync(join(dir, `${element}.yaml`), text);
      expect((await butler('insert-dimension-records', repo, element, join(dir, `${element}.yaml`))).exitCode).toBe(0);
    }
    expect((await butler('register-dataset-type', repo, 'calexp', 'ExposureF', 'instrument', 'visit', 'detector')).exitCode).toBe(0);
    for (const name of ['a.fits', 'b.fits', 'c.fits']) writeFileSync(join(dir, name), name);
    writeFileSync(join(dir, 'calexps.csv'), 'file,visit,detector\na.fits,1,0\nb.fits,3,1\nc.fits,4,0\n');
    expect((await butler('ingest-files', repo, 'calexp', 'run/one', join(dir, 'calexps.csv'), '--data-id', 'instrument=HSC', '-t', 'copy')).exitCode).toBe(0);
  });

  afterAll(async () => {
    await db.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists data IDs as a table with one column per dimension', async () => {
    const res = await butler('query-data-ids', repo, 'visit', '--where', "band = 'r' OR visit IN (:v)", '--bind', 'v=3,4', '--order-by', '-visit', '--limit', '3');
    expect(res.stderr).toBe('');
    expect(res.exitCode).toBe(0);
    const lines = res.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^instrument\s+visit\s+band\s+physical_filter\s+day_obs$/);
    expect(lines.slice(2).map((l) => l.split(/\s+/)[1])).toEqual(['4', '3', '2']);
  });

  it('restricts data IDs to those with datasets and prints JSON', async () => {
    const res = await butler('query-data-ids', repo, 'visit,detector', '--datasets', 'calexp', '--collections', 'run/one', '--where', 'visit.exposure_time > 15', '--json');
    expect(res.exitCode).toBe(0);
    const rows = JSON.parse(res.stdout) as Record<string, unknown>[];
    expect(rows.map((r) => `${r['visit']}/${r['detector']}`)).toEqual(['4/0', '3/1']);
  });

  it('filters query-datasets and query-dimension-records with --where and --bind', async () => {
    const ds = await butler('query-datasets', repo, 'calexp', '--collections', 'run/one', '--where', 'band = :b AND detector = 0', '--bind', 'b=i', '--json');
    expect(ds.exitCode).toBe(0);
    expect((JSON.parse(ds.stdout) as { dataId: Record<string, unknown> }[]).map((r) => r.dataId['visit'])).toEqual([4]);
    const rec = await butler('query-dimension-records', repo, 'detector', '--where', "GLOB(full_name, '1_*')", '--json');
    expect(rec.exitCode).toBe(0);
    expect((JSON.parse(rec.stdout) as { id: number }[]).map((r) => r.id)).toEqual([0]);
    const sorted = await butler('query-dimension-records', repo, 'visit', '--where', 'exposure_time >= 20', '--order-by', '-exposure_time', '--limit', '2', '--json');
    expect((JSON.parse(sorted.stdout) as { id: number }[]).map((r) => r.id)).toEqual([4, 3]);
  });

  it('exits with code 6 and a caret under the offending name', async () => {
    const res = await butler('query-data-ids', repo, 'visit', '--where', "vist = 1 AND band = 'r'");
    expect(res.exitCode).toBe(6);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain('Unknown dimension "vist" in where-clause at position 0. Did you mean "visit"?');
    expect(res.stderr).toContain("\n  vist = 1 AND band = 'r'\n  ^^^^\n");
    const ds = await butler('query-datasets', repo, 'calexp', '--collections', 'run/one', '--where', "visit = 'abc'");
    expect(ds.exitCode).toBe(6);
    expect(ds.stderr).toContain("Cannot compare visit (integer) with string 'abc' (string)");
    expect(ds.stderr).toMatch(/visit = 'abc'\n\s+\^+/);
    const syntax = await butler('query-dimension-records', repo, 'visit', '--where', 'visit >');
    expect(syntax.exitCode).toBe(6);
    expect(syntax.stderr).toContain('Syntax error in where-clause');
  });
});
