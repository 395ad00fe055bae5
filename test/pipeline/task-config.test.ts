import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPipeline, loadTaskCatalog, parseConfigValueText, summarizeOpaqueConfig, TaskCatalogError } from '../../src/pipeline/index.js';
import { catchError, corpusDir, corpusEnv } from './corpus-helpers.js';
import { writeFixtures } from './fixtures.js';

const catalog = loadTaskCatalog();

describe('task config resolution', () => {
  it('starts from catalog defaults and applies pipeline blocks, then -c overrides, in order', () => {
    const dir = writeFixtures({
      'p.yaml': 'description: d\ntasks:\n  isr:\n    class: lsst.ip.isr.IsrTask\n    config:\n      - {doDark: true, extra.deep.key: 3}\n      - {doDark: false}\n',
      'o.yaml': 'doBias: false\n',
    });
    const p = loadPipeline({ uri: path.join(dir, 'p.yaml'), catalog, overrides: { config: ['isr:doFlat=False', 'isr:brighterFatter.level=2.5'], configFiles: [`isr:${path.join(dir, 'o.yaml')}`] } });
    const config = p.tasks[0]?.config;
    expect(config).toMatchObject({ doDark: false, doFlat: false, doBias: false, doWrite: true, extra: { deep: { key: 3 } }, brighterFatter: { level: 2.5 } });
    expect(config?.['connections']).toMatchObject({ outputExposure: 'postISRCCD' });
  });

  it('substitutes parameters, with the importing file winning over the imported one', () => {
    const dir = writeFixtures({
      'main.yaml': 'description: d\nparameters: {coadd: goodSeeing}\nimports: [$DIR/base.yaml]\n',
      'base.yaml': 'description: b\nparameters: {coadd: deep, n: 4}\ntasks:\n  a:\n    class: mod.A\n    config: {name: parameters.coadd, count: parameters.n, typo: parameters.nope}\n',
    });
    const p = loadPipeline({ uri: path.join(dir, 'main.yaml'), env: { DIR: dir } });
    expect(p.tasks[0]?.config).toMatchObject({ name: 'goodSeeing', count: 4, typo: 'parameters.nope' });
    expect(p.notes.find((n) => n.kind === 'unknown-parameter')?.message).toMatch(/'parameters\.nope'.*no parameter 'nope'/);
    const cli = loadPipeline({ uri: path.join(dir, 'main.yaml'), env: { DIR: dir }, overrides: { config: ['parameters:coadd=other'] } });
    expect(cli.tasks[0]?.config['name']).toBe('other');
  });

  it('parses -c values like the reference config parser', () => {
    expect(parseConfigValueText('12')).toBe(12);
    expect(parseConfigValueText('0.02')).toBe(0.02);
    expect(parseConfigValueText('-3')).toBe(-3);
    expect(parseConfigValueText('True')).toBe(true);
    expect(parseConfigValueText('false')).toBe(false);
    expect(parseConfigValueText('None')).toBeNull();
    expect(parseConfigValueText("'12'")).toBe('12');
    expect(parseConfigValueText('[1, "a", b]')).toEqual([1, 'a', 'b']);
    expect(parseConfigValueText('deep')).toBe('deep');
    expect(parseConfigValueText('file:///a/b.fits')).toBe('file:///a/b.fits');
  });

  it('keeps a -c value as a string when the catalog default of the key is a string', () => {
    const dir = writeFixtures({ 'p.yaml': 'description: d\ntasks:\n  isr: lsst.ip.isr.IsrTask\n' });
    const p = loadPipeline({ uri: path.join(dir, 'p.yaml'), catalog, overrides: { config: ['isr:connections.outputExposure=123'] } });
    expect(p.tasks[0]?.config['connections']).toMatchObject({ outputExposure: '123' });
  });

  it('keeps python and file blocks as opaque payloads and says so once', () => {
    const p = loadPipeline({ uri: path.join(corpusDir, 'drp_pipe/pipelines/HSC/DRP-RC2.yaml'), env: corpusEnv, catalog });
    const fgcm = p.tasks.find((t) => t.label === 'fgcmFitCycle');
    expect(fgcm?.blocks.some((b) => b.python?.includes('Sedboundaryterm'))).toBe(true);
    expect(summarizeOpaqueConfig(p.notes)).toMatch(/'python' and \d+ 'file' config block\(s\).*bps-ts does not run Python/);
  });

  it('evaluates corpus contracts whose config values are known', () => {
    const p = loadPipeline({ uri: path.join(corpusDir, 'drp_pipe/pipelines/LSSTComCam/DRP-v2.yaml'), env: corpusEnv, catalog });
    // isr.doFlat == True if calibrateImage.do_illumination_correction == True else True
    expect(p.contractSummary.satisfied).toBeGreaterThan(0);
    expect(p.contractSummary.satisfied + p.contractSummary.unverified).toBe(33);
  });

  it('rejects a malformed catalog file, naming the file and the entry', () => {
    const dir = writeFixtures({ 'bad.yaml': 'tasks:\n  my.Task:\n    connections:\n      x: {kind: inptu, name: a, storageClass: S}\n' });
    const err = catchError(() => loadTaskCatalog({ dirs: [], files: [path.join(dir, 'bad.yaml')] }));
    expect(err).toBeInstanceOf(TaskCatalogError);
    expect(err.message).toMatch(/bad\.yaml': my\.Task\.connections\.x: kind must be one of/);
  });
});
