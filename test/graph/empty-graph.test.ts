import { afterEach, describe, expect, it } from 'vitest';
import { buildQuantumGraph, createGraphRegistry, EmptyGraphError, type BuildQuantumGraphOptions } from '../../src/graph/index.js';
import type { Registry } from '../../src/registry/index.js';
import { backends, makeRegistry } from '../support/backends.js';
import { DEMO_INPUTS, loadDemoPipeline, populateDemoRegistry, type DemoRegistryOptions } from './demo-registry.js';

describe.each(backends)('empty-graph explanations ($name)', ({ make }) => {
  let registry: Registry;
  let dispose: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await dispose?.();
    dispose = undefined;
  });
  async function setup(options: DemoRegistryOptions = {}): Promise<void> {
    const made = await makeRegistry(make);
    registry = made.registry;
    dispose = made.dispose;
    await populateDemoRegistry(registry, options);
  }
  async function emptyGraph(extra: Partial<BuildQuantumGraphOptions>): Promise<EmptyGraphError> {
    try {
      await buildQuantumGraph({
        registry: createGraphRegistry(registry),
        pipeline: loadDemoPipeline(),
        collections: { inputs: DEMO_INPUTS, output: 'u/empty' },
        provenance: { pipelineYaml: '', commandLine: 'test', repo: 'mem' },
        ...extra,
      });
    } catch (err) {
      expect(err).toBeInstanceOf(EmptyGraphError);
      return err as EmptyGraphError;
    }
    throw new Error('expected an EmptyGraphError');
  }

  it('says which dimension the where-clause matched nothing of', async () => {
    await setup();
    const err = await emptyGraph({ where: 'visit = 99' });
    expect(err.reasons).toEqual([`the where-clause "visit = 99" matched no data IDs of dimension 'visit'`]);
    expect(err.message).toBe(`The quantum graph is empty: the where-clause "visit = 99" matched no data IDs of dimension 'visit'.`);
    expect(err.hint).toBe('Check with: butler-ts query-data-ids REPO instrument visit --where "visit = 99" --data-id instrument=DemoCam');
  });

  it('says when the input collections hold no datasets of an overall input', async () => {
    await setup();
    await registry.registerRun('empty/raws');
    const err = await emptyGraph({ collections: { inputs: ['empty/raws', 'DemoCam/calib', 'skymaps', 'refcats'], output: 'u/empty' } });
    expect(err.reasons).toEqual([`no datasets of type 'raw' in collections [empty/raws, DemoCam/calib, skymaps, refcats]`]);
    expect(err.hint).toMatch(/butler-ts query-datasets REPO raw --collections empty\/raws,DemoCam\/calib,skymaps,refcats/);
  });

  it('says when the visits do not overlap the requested tract', async () => {
    await setup();
    await registry.insertDimensionRecords('tract', [{ skymap: 'demo', id: 1 }]);
    await registry.insertDimensionRecords('patch', [{ skymap: 'demo', tract: 1, id: 0 }]);
    const err = await emptyGraph({ where: 'tract = 1' });
    expect(err.reasons[0]).toMatch(/^no overlap between the selected visits and the selected tracts \(the where-clause "tract = 1"/);
    expect(err.hint).toMatch(/butler-ts query-data-ids REPO visit tract --where "tract = 1"/);
  });

  it('says when no overlaps were computed at all', async () => {
    await setup({ overlaps: false });
    const err = await emptyGraph({});
    expect(err.reasons[0]).toMatch(/^no overlap between the selected visits and the selected tracts/);
  });

  it('says which missing input dropped every quantum', async () => {
    await setup();
    const err = await emptyGraph({ pipeline: loadDemoPipeline('step2'), datasetQueryConstraint: 'off' });
    expect(err.reasons[0]).toBe(`all 32 candidate quanta of task 'makeCoaddTempExp' lacked input 'calexp' (not found in [DemoCam/raw/all, DemoCam/calib, skymaps, refcats])`);
    expect(err.reasons[1]).toMatch(/task 'assembleCoadd' lacked input 'deepCoadd_directWarp' \(its producer 'makeCoaddTempExp' had no quanta for them\)/);
  });

  it('says when an overall input type is not registered', async () => {
    await setup();
    const err = await emptyGraph({ pipeline: loadDemoPipeline('step2') });
    expect(err.reasons).toEqual([`dataset type 'calexp' is not registered, so no 'calexp' datasets exist`]);
  });

  it('says when the where-clause excludes every existing raw', async () => {
    await setup({ visits: [1, 2, 3, 4, 5, 6, 7, 8] });
    await registry.insertDimensionRecords('group', [{ instrument: 'DemoCam', name: 'g9' }]);
    await registry.insertDimensionRecords('exposure', [{ instrument: 'DemoCam', id: 9, physical_filter: 'demo-i', day_obs: 20240101, group: 'g9' }]);
    await registry.insertDimensionRecords('visit', [{ instrument: 'DemoCam', id: 9, physical_filter: 'demo-i', day_obs: 20240101 }]);
    await registry.insertDimensionRecords('visit_definition', [{ instrument: 'DemoCam', exposure: 9, visit: 9 }]);
    await registry.insertOverlaps('visit_detector_region', 'patch', [{ instrument: 'DemoCam', visit: 9, detector: 0, skymap: 'demo', tract: 0, patch: 0 }]);
    await registry.insertOverlaps('visit', 'tract', [{ instrument: 'DemoCam', visit: 9, skymap: 'demo', tract: 0 }]);
    await registry.insertOverlaps('visit', 'patch', [{ instrument: 'DemoCam', visit: 9, skymap: 'demo', tract: 0, patch: 0 }]);
    const err = await emptyGraph({ where: 'visit = 9' });
    expect(err.reasons).toEqual([`no 'raw' datasets in [DemoCam/raw/all, DemoCam/calib, skymaps, refcats] match the where-clause "visit = 9"`]);
  });
});
