import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPipeline, loadTaskCatalog, MissingTaskClassError, PipelineGraphError, resolvePipelineGraph } from '../../src/pipeline/index.js';
import type { PipelineGraph } from '../../src/pipeline/index.js';
import { catchError, corpusDir, corpusEnv } from './corpus-helpers.js';
import { DEMO_PIPELINE, writeFixtures } from './fixtures.js';

const catalog = loadTaskCatalog();

function demoGraph(text = DEMO_PIPELINE, config: string[] = []): PipelineGraph {
  const dir = writeFixtures({ 'demo.yaml': text });
  return resolvePipelineGraph(loadPipeline({ uri: path.join(dir, 'demo.yaml'), catalog, overrides: { config } }), catalog);
}

describe('pipeline graph of the HSC demo chain', () => {
  const graph = demoGraph();

  it('orders tasks so that producers come first', () => {
    expect(graph.tasks.map((t) => t.label)).toEqual([
      'isr', 'characterizeImage', 'calibrate', 'makeWarp', 'assembleCoadd', 'detection', 'mergeDetections', 'measure', 'mergeMeasurements', 'forcedPhotCoadd',
    ]);
  });

  it('resolves templated dataset type names, dimensions and flags', () => {
    const makeWarp = graph.tasks.find((t) => t.label === 'makeWarp');
    const calexps = makeWarp?.connections.find((c) => c.connection === 'calExpList');
    expect(calexps).toMatchObject({ datasetType: 'calexp', multiple: true, deferLoad: true, dimensions: ['instrument', 'visit', 'detector'] });
    expect(graph.datasetTypes.get('deepCoadd_directWarp')).toMatchObject({ producer: 'makeWarp', consumers: ['assembleCoadd'], dimensions: ['tract', 'patch', 'skymap', 'visit', 'instrument'] });
    expect(graph.datasetTypes.get('flat')).toMatchObject({ isCalibration: true, prerequisiteOf: ['isr'], producer: undefined });
  });

  it('lists overall inputs, prerequisites and intermediates', () => {
    expect(graph.overallInputs).toEqual(['raw', 'skyMap']);
    expect(graph.prerequisiteInputs).toEqual(['bias', 'camera', 'flat', 'gaia_dr3_20230707', 'ps1_pv3_3pi_20170110']);
    expect(graph.intermediates).toContain('deepCoadd_det_schema');
    expect(graph.terminalOutputs).toContain('deepCoadd_forced_src');
  });

  it('adds the automatic per-task datasets and the global packages init-output', () => {
    const isr = graph.tasks.find((t) => t.label === 'isr');
    expect(isr?.connections.filter((c) => c.automatic).map((c) => `${c.kind}:${c.datasetType}`)).toEqual(['initOutput:isr_config', 'output:isr_metadata', 'output:isr_log']);
    expect(graph.datasetTypes.get('isr_metadata')?.dimensions).toEqual(['instrument', 'exposure', 'detector']);
    expect(graph.globalInitOutputs.map((c) => c.datasetType)).toEqual(['packages']);
  });

  it('renames dataset types through templates and connections.<name> overrides', () => {
    const renamed = demoGraph(DEMO_PIPELINE, ['assembleCoadd:connections.outputCoaddName=goodSeeing', 'detection:connections.inputCoaddName=goodSeeing', 'isr:connections.outputExposure=post_isr_image', 'characterizeImage:connections.exposure=post_isr_image']);
    expect(renamed.datasetTypes.get('goodSeeingCoadd')?.consumers).toEqual(['detection']);
    expect(renamed.datasetTypes.get('post_isr_image')?.producer).toBe('isr');
  });

  it('removes connections whose config condition is false', () => {
    const noFlat = demoGraph(DEMO_PIPELINE, ['isr:doFlat=False', 'calibrate:doAstrometry=false']);
    expect(noFlat.prerequisiteInputs).not.toContain('flat');
    expect(noFlat.prerequisiteInputs).not.toContain('gaia_dr3_20230707');
    expect(noFlat.datasetTypes.has('srcMatch')).toBe(false);
  });
});

describe('pipeline graph errors', () => {
  it('fails when a class is missing from the catalog, and lists it when allowed', () => {
    const dir = writeFixtures({ 'p.yaml': 'description: d\ntasks:\n  x: some.Unknown\n' });
    const expanded = loadPipeline({ uri: path.join(dir, 'p.yaml'), catalog });
    expect(catchError(() => resolvePipelineGraph(expanded, catalog))).toBeInstanceOf(MissingTaskClassError);
    expect(resolvePipelineGraph(expanded, catalog, { allowMissingClasses: true }).missingTaskClasses).toEqual([{ label: 'x', taskClass: 'some.Unknown' }]);
  });

  it('rejects two producers of one dataset type, naming both tasks and files', () => {
    const err = catchError(() => demoGraph(`${DEMO_PIPELINE.replace(/subsets:[\s\S]*/, '')}  isr2: lsst.ip.isr.IsrTask\n`));
    expect(err).toBeInstanceOf(PipelineGraphError);
    expect(err.message).toMatch(/'postISRCCD' is produced by both task 'isr' \(declared in '.*demo\.yaml'\) and task 'isr2'/);
  });

  it('rejects a prerequisite produced by a task of the pipeline', () => {
    const err = catchError(() => demoGraph(`${DEMO_PIPELINE}`, ['calibrate:connections.outputCat=flat']));
    expect(err.message).toMatch(/'flat' is a prerequisite input of task 'isr' \(declared in '.*demo\.yaml'\) but is produced by task 'calibrate'/);
  });

  it('rejects a cycle, naming the tasks and dataset types around it', () => {
    const err = catchError(() => demoGraph(DEMO_PIPELINE.replace(/subsets:[\s\S]*/, ''), ['isr:connections.ccdExposure=calexp']));
    expect(err).toBeInstanceOf(PipelineGraphError);
    expect(err.message).toMatch(/cycle in its data flow: .*'isr' -\(postISRCCD\)-> 'characterizeImage'.*'calibrate' -\(calexp\)-> 'isr'/);
  });

  it('rejects steps out of data-flow order', () => {
    const swapped = DEMO_PIPELINE.replace('  - label: processCcd\n    dimensions: [visit, detector]\n', '').replace('steps:\n', 'steps:\n  - label: multiband\n    dimensions: [tract]\n').replace(/  - label: multiband\n    dimensions: \[tract\]\n$/, '  - label: processCcd\n    dimensions: [visit, detector]\n');
    const err = catchError(() => demoGraph(swapped));
    expect(err.message).toMatch(/produces dataset types \[.*\], but these are consumed by tasks in earlier steps/);
  });

  it('rejects a task whose dimensions do not suit its step sharding dimensions', () => {
    const err = catchError(() => demoGraph(DEMO_PIPELINE.replace('dimensions: [visit, detector]', 'dimensions: [tract]')));
    expect(err.message).toMatch(/dimensions \[instrument, exposure, detector\] of task 'isr' are not compatible with the sharding dimensions \[tract\] of step 'processCcd'/);
  });

  it('rejects a task that belongs to no step', () => {
    const err = catchError(() => demoGraph(DEMO_PIPELINE.replace('[detection, mergeDetections, measure, mergeMeasurements, forcedPhotCoadd]', '[detection, mergeDetections, measure, mergeMeasurements]')));
    expect(err.message).toMatch(/no step contains task\(s\) forcedPhotCoadd/);
  });

  it('accepts exposure-level tasks in visit-sharded steps of the LSSTComCam pipeline', () => {
    const expanded = loadPipeline({ uri: path.join(corpusDir, 'drp_pipe/pipelines/LSSTComCam/DRP-v2.yaml'), env: corpusEnv, catalog });
    const graph = resolvePipelineGraph(expanded, catalog, { allowMissingClasses: true, skipSteps: true });
    expect(graph.tasks.find((t) => t.label === 'isr')?.step).toBe('step1a-single-visit-detectors');
    expect(graph.datasetTypes.get('post_isr_image')?.consumers).toEqual(['calibrateImage']);
  });

  it('finds the LSSTComCam tasks that no step contains (corpus files come from different upstream commits)', () => {
    // step3a-coadd-tracts in base-v2.yaml lists makeBinnedCoaddImage..., while the imported
    // analysis_tools coaddQualityCore.yaml defines makeBinnedDeepCoaddImage...: the reference's
    // step check (PipelineGraph.resolve) rejects this pipeline in the same way.
    const expanded = loadPipeline({ uri: path.join(corpusDir, 'drp_pipe/pipelines/LSSTComCam/DRP-v2.yaml'), env: corpusEnv, catalog });
    const err = catchError(() => resolvePipelineGraph(expanded, catalog, { allowMissingClasses: true }));
    expect(err.message).toMatch(/no step contains task\(s\) makeBinnedDeepCoaddImage, .*DRP-v2\.yaml/);
  });
});
