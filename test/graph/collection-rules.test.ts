import { afterEach, describe, expect, it } from 'vitest';
import {
  buildQuantumGraph, CollectionRulesError, createGraphRegistry, MissingCollectionError, OutputExistsError, resolveCollections, type BuildQuantumGraphOptions, type CollectionOptions,
} from '../../src/graph/index.js';
import { UsageError } from '../../src/errors/index.js';
import type { Registry } from '../../src/registry/index.js';
import { backends, makeRegistry } from '../support/backends.js';
import { DEMO_INPUTS, loadDemoPipeline, populateDemoRegistry } from './demo-registry.js';

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe.each(backends)('collection rules of qg build ($name)', ({ make }) => {
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
    await populateDemoRegistry(registry);
  }
  const resolve = (options: CollectionOptions): ReturnType<typeof resolveCollections> => resolveCollections(createGraphRegistry(registry), options);
  const build = (extra: Partial<BuildQuantumGraphOptions>): ReturnType<typeof buildQuantumGraph> =>
    buildQuantumGraph({
      registry: createGraphRegistry(registry),
      pipeline: loadDemoPipeline('step1'),
      collections: { inputs: DEMO_INPUTS, output: 'u/demo/out' },
      provenance: { pipelineYaml: '', commandLine: 'test', repo: 'mem' },
      ...extra,
    });

  it('names a missing input collection', async () => {
    await setup();
    const err = await rejection(resolve({ inputs: ['DemoCam/raw/all', 'DemoCam/raw/al'], output: 'u/o' }));
    expect(err).toBeInstanceOf(MissingCollectionError);
    expect(err.message).toMatch(/Input collection "DemoCam\/raw\/al" does not exist/);
  });

  it('needs an output', async () => {
    await setup();
    expect(await rejection(resolve({ inputs: DEMO_INPUTS }))).toBeInstanceOf(UsageError);
  });

  it('names the run after the output and a UTC timestamp', async () => {
    await setup();
    const r = await resolve({ inputs: DEMO_INPUTS, output: 'u/o', now: new Date('2024-09-04T11:39:49.123Z') });
    expect(r.outputRun).toBe('u/o/20240904T113949Z');
    expect(r.searchPath).toEqual(DEMO_INPUTS);
  });

  it('refuses an existing output run without --extend-run', async () => {
    await setup();
    await registry.registerRun('u/o/run1');
    const err = await rejection(resolve({ inputs: DEMO_INPUTS, output: 'u/o', outputRun: 'u/o/run1' }));
    expect(err).toBeInstanceOf(CollectionRulesError);
    expect(err.message).toBe('Output run "u/o/run1" already exists, but --extend-run was not given.');
    const ok = await resolve({ inputs: DEMO_INPUTS, output: 'u/o', outputRun: 'u/o/run1', extendRun: true });
    expect(ok.searchPath[0]).toBe('u/o/run1');
  });

  it('refuses --extend-run of a run that does not exist', async () => {
    await setup();
    const err = await rejection(resolve({ inputs: DEMO_INPUTS, output: 'u/o', outputRun: 'u/o/nope', extendRun: true }));
    expect(err.message).toMatch(/Cannot --extend-run: output run "u\/o\/nope" does not exist/);
    expect((await rejection(resolve({ inputs: DEMO_INPUTS, output: 'u/o', extendRun: true }))).message).toMatch(/Cannot --extend-run: output collection "u\/o" does not exist/);
  });

  it('refuses an output that is not a chain', async () => {
    await setup();
    await registry.registerRun('u/plain');
    const err = await rejection(resolve({ inputs: DEMO_INPUTS, output: 'u/plain' }));
    expect(err.message).toMatch(/Output collection "u\/plain" exists and is a RUN collection, not a CHAINED one/);
  });

  describe('with an existing output chain', () => {
    async function chain(): Promise<void> {
      await setup();
      await registry.registerRun('u/o/run1');
      await registry.registerCollection('u/o', 'CHAINED');
      await registry.setCollectionChain('u/o', ['u/o/run1', ...DEMO_INPUTS]);
    }

    it('accepts the same inputs and searches the chain', async () => {
      await chain();
      const r = await resolve({ inputs: DEMO_INPUTS, output: 'u/o', now: new Date('2024-01-01T00:00:00Z') });
      expect(r.searchPath).toEqual(['u/o']);
      expect(r.outputRun).toBe('u/o/20240101T000000Z');
    });

    it('reuses the chain inputs when -i is omitted, and extends its first run', async () => {
      await chain();
      const r = await resolve({ inputs: [], output: 'u/o', extendRun: true });
      expect(r.outputRun).toBe('u/o/run1');
      expect(r.inputs).toEqual(DEMO_INPUTS);
      expect(r.searchPath).toEqual(['u/o/run1', 'u/o']);
    });

    it('refuses inputs that differ from the chain, unless --rebase', async () => {
      await chain();
      const other = ['DemoCam/raw/all', 'DemoCam/calib', 'refcats', 'skymaps'];
      const err = await rejection(resolve({ inputs: other, output: 'u/o' }));
      expect(err).toBeInstanceOf(CollectionRulesError);
      expect(err.message).toMatch(/ends with a different sequence of input collections than those given: "skymaps" != "refcats"/);
      expect(err).toHaveProperty('hint', expect.stringMatching(/--rebase/));
      const rebased = await resolve({ inputs: other, output: 'u/o', rebase: true });
      expect(rebased.searchPath).toEqual(['u/o/run1', ...other]);
      expect(rebased.notes[0]).toMatch(/will be rebased/);
    });

    it('refuses new input collections added after creation', async () => {
      await chain();
      await registry.registerRun('extra');
      const err = await rejection(resolve({ inputs: ['extra', 'u/o/run1', ...DEMO_INPUTS], output: 'u/o' }));
      expect(err.message).toMatch(/Cannot add new input collections \["extra"\] after output collection "u\/o" was created/);
    });

    it('searches the chain without its first run for --replace-run', async () => {
      await chain();
      const r = await resolve({ inputs: [], output: 'u/o', replaceRun: true });
      expect(r.searchPath).toEqual(DEMO_INPUTS);
      expect(r.notes[0]).toMatch(/"u\/o\/run1" will be replaced/);
    });
  });

  it('refuses --replace-run without an existing chain', async () => {
    await setup();
    const err = await rejection(resolve({ inputs: DEMO_INPUTS, output: 'u/new', replaceRun: true }));
    expect(err.message).toMatch(/--replace-run needs an existing output chain, but "u\/new" does not exist/);
  });

  describe('in an existing output run', () => {
    async function partialRun(): Promise<void> {
      await setup();
      await registry.registerRun('u/o/run1');
      for (const [name, sc] of [['processCcd_metadata', 'TaskMetadata'], ['calexp', 'ExposureF']] as const) {
        await registry.registerDatasetType({ name, dimensions: ['instrument', 'visit', 'detector'], storageClass: sc });
      }
      const done = [0, 1].map((detector) => ({ instrument: 'DemoCam', visit: 1, detector }));
      await registry.insertDatasets({ datasetType: 'processCcd_metadata', run: 'u/o/run1', dataIds: done });
      await registry.insertDatasets({ datasetType: 'calexp', run: 'u/o/run1', dataIds: [...done, { instrument: 'DemoCam', visit: 2, detector: 0 }] });
    }

    it('skips quanta whose metadata exists with --skip-existing and counts them', async () => {
      await partialRun();
      const err = await rejection(build({ collections: { inputs: DEMO_INPUTS, output: 'u/o', outputRun: 'u/o/run1', extendRun: true, skipExisting: true } }));
      expect(err).toBeInstanceOf(OutputExistsError);
      expect(err.message).toMatch(/1 output dataset\(s\) of task "processCcd" already exist in output run "u\/o\/run1", e.g. calexp .*visit=2.*--clobber-outputs was not given/);
      const r = await build({ collections: { inputs: DEMO_INPUTS, output: 'u/o', outputRun: 'u/o/run1', extendRun: true, skipExisting: true }, clobberOutputs: true });
      expect(r.stats[0]).toMatchObject({ label: 'processCcd', quanta: 14, skipped: 2, noWork: 0 });
      const clobbered = r.graph.quanta.flatMap((q) => q.outputs['outputExposure'] ?? []).filter((ref) => ref.replacesId !== undefined);
      expect(clobbered.map((ref) => ref.dataId['visit'])).toEqual([2]);
    });

    it('skips quanta listed in --skip-existing-in collections', async () => {
      await partialRun();
      const r = await build({ collections: { inputs: DEMO_INPUTS, output: 'u/o2', skipExistingIn: ['u/o/run1'] } });
      expect(r.stats[0]).toMatchObject({ quanta: 14, skipped: 2 });
    });
  });
});
