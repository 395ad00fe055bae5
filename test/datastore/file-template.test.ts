import { describe, expect, it } from 'vitest';
import { FileTemplate, FileTemplates, resolveInside } from '../../src/datastore/index.js';
import { DatastoreError, InvalidInputError } from '../../src/errors/index.js';

const calexp = {
  run: 'HSC/runs/ci/20240101T000000Z',
  datasetType: 'calexp',
  dataId: { instrument: 'HSC', visit: 903334, detector: 16, band: 'r', physical_filter: 'HSC-R', day_obs: 20130617 },
  records: { visit: { name: 'HSCA90333400' } },
};

describe('file templates', () => {
  it('keeps the run hierarchy with {run:/} and drops missing optional fields with their separator', () => {
    const t = new FileTemplate('{run:/}/{datasetType}/{band:?}/{tract:?}/{datasetType}_{tract:?}_{visit}_{detector:?}_{run}');
    expect(t.format(calexp)).toBe('HSC/runs/ci/20240101T000000Z/calexp/r/calexp_903334_16_HSC_runs_ci_20240101T000000Z');
  });

  it('reads record fields and takes the first available alternative', () => {
    const t = new FileTemplate('{run}/{visit.name|exposure.obs_id}/{exposure.obs_id|visit}');
    expect(t.format(calexp)).toBe('HSC_runs_ci_20240101T000000Z/HSCA90333400/903334');
  });

  it('names the missing required field and how to fix it', () => {
    const t = new FileTemplate('{run}/{tract}');
    expect(() => t.format(calexp)).toThrow(/needs field "tract".*/);
    expect(() => t.format(calexp)).toThrow(InvalidInputError);
  });

  it('refuses templates without {run}', () => {
    expect(() => new FileTemplate('{datasetType}/{visit}')).toThrow(/no \{run\} field/);
  });

  it('neutralises path tricks in data-ID values and runs', () => {
    const t = new FileTemplate('{run:/}/{datasetType}/{instrument}_{run}');
    const path = t.format({ run: '../../../etc', datasetType: 'raw', dataId: { instrument: '../../etc/passwd' } });
    expect(path).toBe('__/__/__/etc/raw/.._.._etc_passwd_.._.._.._etc');
    expect(path.split('/')).not.toContain('..');
    const spaced = t.format({ run: 'u/a b/$(rm -rf)', datasetType: 'raw', dataId: { instrument: "x'y" } });
    expect(spaced).toBe('u/a_b/__rm_-rf_/raw/x_y_u_a_b___rm_-rf_');
  });

  it('selects templates by dataset type, then storage class, then default', () => {
    const ts = new FileTemplates({ calexp: '{run}/by-type/{visit}', SourceCatalog: '{run}/by-class/{visit}' });
    expect(ts.select('calexp', 'ExposureF').format(calexp)).toContain('by-type');
    expect(ts.select('src', 'SourceCatalog').format({ ...calexp, datasetType: 'src' })).toContain('by-class');
    expect(ts.select('other', 'Json').template).toContain('{run:/}');
  });
});

describe('datastore path confinement', () => {
  it('refuses relative paths that escape and absolute paths', () => {
    expect(() => resolveInside('/data/repo', '../x')).toThrow(DatastoreError);
    expect(() => resolveInside('/data/repo', 'a/../../x')).toThrow(/outside the datastore root/);
    expect(() => resolveInside('/data/repo', '/etc/passwd')).toThrow(DatastoreError);
    expect(resolveInside('/data/repo', 'a/b.fits')).toBe('/data/repo/a/b.fits');
  });
});
