import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readTaskCatalogFile } from '../../src/pipeline/index.js';
import {
  createExposure, getBuiltinTask, hasBuiltinTask, listBuiltinTasks, TaskInputError, type TaskContext,
} from '../../src/tasks/index.js';
import { createSilentLogger } from '../../src/util/index.js';
import { asInput, catalogEntry } from './chain-support.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const demoClasses = readTaskCatalogFile(path.join(projectRoot, 'pipelines/catalog/demo.yaml')).map((e) => e.taskClass);

function isrContext(inputs: TaskContext['inputs'], config: TaskContext['config'] = {}): TaskContext {
  return { label: 'isr', config: { ...catalogEntry('lsst.ip.isr.IsrTask').config, ...config }, dataId: { instrument: 'DemoCam', exposure: 100, detector: 0 }, inputs, log: createSilentLogger() };
}

describe('built-in task map', () => {
  it('has a task for every class of the demo catalog, plus the command task', () => {
    expect(demoClasses).toHaveLength(11);
    for (const cls of demoClasses) expect(getBuiltinTask(cls).className).toBe(cls);
    expect(listBuiltinTasks()).toContain('bps_ts.tasks.CommandTask');
    expect(hasBuiltinTask('lsst.pipe.tasks.calibrateImage.CalibrateImageTask')).toBe(false);
  });

  it('names the known classes when asked for an unknown one', () => {
    expect(() => getBuiltinTask('lsst.pipe.tasks.Nope')).toThrow(/no built-in task for class 'lsst.pipe.tasks.Nope'/);
    try {
      getBuiltinTask('lsst.pipe.tasks.Nope');
    } catch (error) {
      expect((error as TaskInputError).hint).toContain('lsst.ip.isr.IsrTask');
    }
  });

  it("makes exactly the catalog's init-outputs (schemas) of each class", () => {
    for (const cls of demoClasses) {
      const declared = Object.entries(catalogEntry(cls).connections).filter(([, c]) => c.kind === 'initOutput').map(([n]) => n).sort();
      const made = Object.keys(getBuiltinTask(cls).makeInitOutputs?.({ label: 'x', config: {} }) ?? {}).sort();
      expect(made, cls).toEqual(declared);
    }
  });
});

describe('task input and config checks', () => {
  const raw = createExposure({ width: 4, height: 4 });

  it('IsrTask refuses to run without the bias when doBias is true, naming the connection', async () => {
    const run = getBuiltinTask('lsst.ip.isr.IsrTask').run(isrContext({ ccdExposure: asInput(raw, { exposure: 100 }) }, { doFlat: false }));
    await expect(run).rejects.toThrow(/doBias is true but no 'bias' was given/);
  });

  it('IsrTask rejects a config switch it does not implement', async () => {
    const run = getBuiltinTask('lsst.ip.isr.IsrTask').run(isrContext({ ccdExposure: asInput(raw, { exposure: 100 }) }, { doDefect: true }));
    await expect(run).rejects.toThrow(/config 'doDefect' is true, but the built-in task does not implement defect masking/);
  });

  it('IsrTask with bias and flat off converts ADU to electrons with the gain and builds the variance', async () => {
    const image = createExposure({ width: 2, height: 1, image: Float32Array.from([100, 70000]), metadata: { GAIN: 2, RDNOISE: 3 } });
    const out = await getBuiltinTask('lsst.ip.isr.IsrTask').run(isrContext({ ccdExposure: asInput(image, { exposure: 100 }) }, { doBias: false, doFlat: false }));
    const exposure = (out['outputExposure'] as { value: typeof image }).value;
    expect(Array.from(exposure.image)).toEqual([200, 140000]);
    expect(exposure.variance[0]).toBeCloseTo(209, 3);
    expect(exposure.mask[1]).toBe(2);
  });

  it('reports a config value of the wrong type with the key and the task', async () => {
    const ctx: TaskContext = {
      label: 'characterizeImage', config: { detectionThreshold: 'high' }, dataId: {}, inputs: { exposure: asInput(raw, {}) }, log: createSilentLogger(),
    };
    await expect(getBuiltinTask('lsst.pipe.tasks.characterizeImage.CharacterizeImageTask').run(ctx)).rejects.toThrow(/task 'characterizeImage': config 'detectionThreshold' is "high", expected a number/);
  });

  it('reports an input of the wrong type with its dataset type and data ID', async () => {
    const ctx: TaskContext = {
      label: 'assembleCoadd', config: {}, dataId: { band: 'i' }, inputs: { inputWarps: [{ dataId: { visit: 1 }, datasetType: 'deepCoadd_directWarp', storageClass: 'ExposureF', value: { nope: 1 } }] }, log: createSilentLogger(),
    };
    await expect(getBuiltinTask('lsst.pipe.tasks.assembleCoadd.AssembleCoaddTask').run(ctx)).rejects.toThrow(/input 'deepCoadd_directWarp' \{"visit":1\} is not an Exposure/);
  });
});
