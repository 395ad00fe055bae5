import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, type TestDatabase } from '../support/backends.js';
import { runBin } from '../support/cli.js';

const RECORDS = {
  instrument: '- {name: HSC}\n',
  band: '- {name: r}\n',
  physical_filter: '- {instrument: HSC, name: HSC-R, band: r}\n',
  detector: '- {instrument: HSC, id: 0}\n- {instrument: HSC, id: 1}\n',
  day_obs: '- {instrument: HSC, id: 20240101}\n',
  visit: '- {instrument: HSC, id: 1, physical_filter: HSC-R, day_obs: 20240101}\n- {instrument: HSC, id: 2, physical_filter: HSC-R, day_obs: 20240101}\n',
};

describe.each(backends)('butler-ts command line on $name', ({ make }) => {
  let dir: string;
  let repo: string;
  let db: TestDatabase;
  const butler = (...args: string[]) => runBin('butler-ts', args);

  beforeAll(async () => {
    db = make();
    dir = mkdtempSync(join(tmpdir(), 'bps-cli-'));
    repo = join(dir, 'repo');
    const created = await butler('create', repo, ...(db.backend === 'postgresql' ? db.cliArgs : []));
    expect(created.stderr).toContain('Created repository');
    expect(created.exitCode).toBe(0);
    for (const [element, text] of Object.entries(RECORDS)) {
      writeFileSync(join(dir, `${element}.yaml`), text);
      expect((await butler('insert-dimension-records', repo, element, join(dir, `${element}.yaml`))).exitCode).toBe(0);
    }
    expect((await butler('register-dataset-type', repo, 'calexp', 'ExposureF', 'instrument', 'visit', 'detector')).exitCode).toBe(0);
    expect((await butler('register-dataset-type', repo, 'flat', 'ExposureF', 'instrument', 'physical_filter', 'detector', '--is-calibration')).exitCode).toBe(0);
    for (const name of ['a.fits', 'b.fits', 'c.fits']) writeFileSync(join(dir, name), name);
    writeFileSync(join(dir, 'calexps.csv'), 'file,visit,detector\na.fits,1,0\nb.fits,2,1\n');
    writeFileSync(join(dir, 'flats.csv'), 'file,physical_filter,detector\nc.fits,HSC-R,0\n');
    expect((await butler('ingest-files', repo, 'calexp', 'run/one', join(dir, 'calexps.csv'), '--data-id', 'instrument=HSC', '-t', 'copy')).exitCode).toBe(0);
    expect((await butler('ingest-files', repo, 'flat', 'calib/run', join(dir, 'flats.csv'), '--data-id', 'instrument=HSC', '-t', 'copy')).exitCode).toBe(0);
  });

  afterAll(async () => {
    await db.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists collections as a table and as JSON', async () => {
    const table = await butler('query-collections', repo);
    expect(table.exitCode).toBe(0);
    expect(table.stdout).toMatch(/^Name\s+Type\s+Children/);
    expect(table.stdout).toMatch(/run\/one\s+RUN/);
    const json = JSON.parse((await butler('query-collections', repo, '--json')).stdout) as { name: string; type: string }[];
    expect(json.map((c) => c.name).sort()).toEqual(['calib/run', 'run/one']);
  });

  it('edits chains with every mode and shows them as table, tree and flattened', async () => {
    expect((await butler('collection-chain', repo, 'chain', 'run/one')).stdout.trim()).toBe('[run/one]');
    expect((await butler('collection-chain', repo, 'chain', 'calib/run', '--mode', 'prepend')).stdout.trim()).toBe('[calib/run, run/one]');
    expect((await butler('collection-chain', repo, 'outer', 'chain', '--mode', 'extend')).stdout.trim()).toBe('[chain]');
    const tree = await butler('query-collections', repo, 'outer', '--chains', 'tree');
    expect(tree.stdout).toBe('outer CHAINED\n  chain CHAINED\n    calib/run RUN\n    run/one RUN');
    const flat = await butler('query-collections', repo, 'outer', '--chains', 'flatten', '--json');
    expect((JSON.parse(flat.stdout) as { name: string }[]).map((r) => r.name)).toEqual(['calib/run', 'run/one']);
    expect((await butler('collection-chain', repo, 'chain', '--mode', 'pop', '0')).stdout.trim()).toBe('[run/one]');
    expect((await butler('collection-chain', repo, 'chain', 'run/one', '--mode', 'remove')).stdout.trim()).toBe('[]');
    const cycle = await butler('collection-chain', repo, 'chain', 'outer', '--mode', 'extend');
    expect(cycle.exitCode).toBe(5);
    expect(cycle.stderr).toContain('would make a cycle: chain -> outer -> chain');
  });

  it('queries datasets with data-ID constraints', async () => {
    const res = await butler('query-datasets', repo, 'calexp', '--collections', 'run/one', '--data-id', 'visit=2', '--json');
    const refs = JSON.parse(res.stdout) as { dataId: Record<string, unknown> }[];
    expect(refs.map((r) => r.dataId)).toEqual([{ instrument: 'HSC', detector: 1, visit: 2 }]);
    const table = await butler('query-datasets', repo, '--collections', 'run/one');
    expect(table.stdout).toMatch(/type\s+run\s+id\s+instrument\s+detector\s+visit/);
  });

  it('explains bad input with documented exit codes and changes nothing', async () => {
    const before = (await butler('query-datasets', repo, '--collections', 'run/one,calib/run', '--json')).stdout;
    const unknown = await butler('query-datasets', repo, 'calexp', '--collections', 'run/onw');
    expect(unknown.exitCode).toBe(4);
    expect(unknown.stderr).toContain('Collection "run/onw" does not exist. Did you mean "run/one"?');
    const wrongType = await butler('collection-chain', repo, 'run/one', 'calib/run');
    expect(wrongType.exitCode).toBe(5);
    expect(wrongType.stderr).toContain('Collection "run/one" is RUN, but a CHAINED collection is needed here.');
    const dup = await butler('ingest-files', repo, 'calexp', 'run/one', join(dir, 'calexps.csv'), '--data-id', 'instrument=HSC', '-t', 'copy');
    expect(dup.exitCode).toBe(5);
    expect(dup.stderr).toMatch(/calexp dataset with data ID \{instrument='HSC', detector=0, visit=1\} exists in run "run\/one"/);
    expect((await butler('certify-calibrations', repo, 'calib/run', 'HSC/calib', 'flat', '--begin-date', '2024-01-01', '--end-date', '2024-02-01')).exitCode).toBe(0);
    expect((await butler('certify-calibrations', repo, 'calib/run', 'HSC/calib', 'flat', '--begin-date', '2024-02-01')).exitCode).toBe(0);
    const overlap = await butler('certify-calibrations', repo, 'calib/run', 'HSC/calib', 'flat', '--begin-date', '2024-01-15', '--end-date', '2024-01-20');
    expect(overlap.exitCode).toBe(5);
    expect(overlap.stderr).toContain('overlaps an existing certification over [2024-01-01T00:00:00.000Z, 2024-02-01T00:00:00.000Z)');
    writeFileSync(join(dir, 'export.yaml'), 'version: 1\ndata:\n  - {type: collection, collection_type: RUN, name: fromimport}\n  - {type: dataset_type, name: x}\n');
    const malformed = await butler('import', repo, dir);
    expect(malformed.exitCode).toBe(3);
    expect(malformed.stderr).toContain('data[1].dimensions must be a list');
    const noConfirm = await butler('remove-runs', repo, 'run/one');
    expect(noConfirm.exitCode).toBe(2);
    expect(noConfirm.stderr).toContain('--no-confirm');
    expect((await butler('query-collections', repo, 'fromimport', '--json')).stdout.trim()).toBe('[]');
    expect((await butler('query-datasets', repo, '--collections', 'run/one,calib/run', '--json')).stdout).toBe(before);
  });

  it('exports and imports into a second repository', async () => {
    const exp = await butler('export', repo, join(dir, 'exp'), '--collections', 'run/one', '-t', 'copy');
    expect(exp.exitCode).toBe(0);
    const second = join(dir, 'second');
    expect((await butler('create', second)).exitCode).toBe(0);
    const imp = await butler('import', second, join(dir, 'exp'), '-t', 'copy', '--json');
    expect(JSON.parse(imp.stdout)).toEqual({ datasets: 2 });
    const uris = await butler('query-datasets', second, 'calexp', '--collections', 'run/one', '--show-uri', '--json');
    expect((JSON.parse(uris.stdout) as { uri: string }[]).every((r) => r.uri.startsWith(second))).toBe(true);
  });
});
