import { afterEach, describe, expect, it } from 'vitest';
import { buildQuantumGraph, createGraphRegistry, PrerequisiteError } from '../../src/graph/index.js';
import type { Registry } from '../../src/registry/index.js';
import { backends, makeRegistry } from '../support/backends.js';
import { DEMO_INPUTS, loadDemoPipeline, micros, populateDemoRegistry, visitBegin } from './demo-registry.js';

describe.each(backends)('calibration lookup ($name)', ({ make }) => {
  let registry: Registry;
  let dispose: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await dispose?.();
    dispose = undefined;
  });
  async function setup(): Promise<void> {
    const made = await makeRegistry(make);
    registry = made.registry;
    dispose = made.dispose;
    await populateDemoRegistry(registry, { noFlats: true });
  }
  const build = (): ReturnType<typeof buildQuantumGraph> =>
    buildQuantumGraph({
      registry: createGraphRegistry(registry),
      pipeline: loadDemoPipeline('step1'),
      collections: { inputs: DEMO_INPUTS, output: 'u/cal' },
      where: "band = 'i'",
      provenance: { pipelineYaml: '', commandLine: 'test', repo: 'mem' },
    });

  it('picks, for each visit, the flat whose validity range holds its timespan (abutting ranges)', async () => {
    await setup();
    await registry.registerRun('DemoCam/calib/flat-a');
    await registry.registerRun('DemoCam/calib/flat-b');
    const dataIds = [0, 1].map((detector) => ({ instrument: 'DemoCam', physical_filter: 'demo-i', detector }));
    const a = await registry.insertDatasets({ datasetType: 'flat', run: 'DemoCam/calib/flat-a', dataIds });
    const b = await registry.insertDatasets({ datasetType: 'flat', run: 'DemoCam/calib/flat-b', dataIds });
    const boundary = visitBegin(3); // visits 1-2 before, 3-4 from here on
    await registry.certify('DemoCam/calib', a, { begin: micros('2024-01-01T00:00:00Z'), end: boundary });
    await registry.certify('DemoCam/calib', b, { begin: boundary, end: null });
    const { graph } = await build();
    const flatRun = Object.fromEntries(graph.quanta.map((q) => [`${q.dataId['visit']}/${q.dataId['detector']}`, q.prerequisites['flat']?.[0]?.run]));
    expect(flatRun).toEqual({
      '1/0': 'DemoCam/calib/flat-a', '1/1': 'DemoCam/calib/flat-a', '2/0': 'DemoCam/calib/flat-a', '2/1': 'DemoCam/calib/flat-a',
      '3/0': 'DemoCam/calib/flat-b', '3/1': 'DemoCam/calib/flat-b', '4/0': 'DemoCam/calib/flat-b', '4/1': 'DemoCam/calib/flat-b',
    });
    const det1 = graph.quanta.find((q) => q.dataId['visit'] === 4 && q.dataId['detector'] === 1);
    expect(det1?.prerequisites['flat']?.[0]?.id).toBe(b[1]?.id);
  });

  it('fails naming the quantum when no flat is valid at its time', async () => {
    await setup();
    await registry.registerRun('DemoCam/calib/flat-late');
    const late = await registry.insertDatasets({ datasetType: 'flat', run: 'DemoCam/calib/flat-late', dataIds: [0, 1].map((detector) => ({ instrument: 'DemoCam', physical_filter: 'demo-i', detector })) });
    await registry.certify('DemoCam/calib', late, { begin: visitBegin(2), end: null });
    let err: unknown;
    try {
      await build();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PrerequisiteError);
    expect((err as Error).message).toMatch(/^Prerequisite input "flat" \(connection "flat"\) of task "processCcd" was not found for quantum \{instrument='DemoCam', detector=0, visit=1, .*physical_filter='demo-i'.*\} valid at \[2024-01-02T00:00:00.000Z, 2024-01-02T00:00:30.000Z\) in collections \[DemoCam\/raw\/all, DemoCam\/calib, skymaps, refcats\]/);
    expect((err as PrerequisiteError).hint).toMatch(/butler-ts query-datasets REPO flat --collections DemoCam\/raw\/all,DemoCam\/calib,skymaps,refcats --where "instrument='DemoCam' AND detector=0 AND physical_filter='demo-i'"/);
  });
});
