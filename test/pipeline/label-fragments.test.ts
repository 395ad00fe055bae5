import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPipeline, loadTaskCatalog, parsePipelineUri, PipelineError } from '../../src/pipeline/index.js';
import { catchError, corpusDir, corpusEnv } from './corpus-helpers.js';

const catalog = loadTaskCatalog();
const rc2 = path.join(corpusDir, 'drp_pipe/pipelines/HSC/DRP-RC2.yaml');
const comCam = path.join(corpusDir, 'drp_pipe/pipelines/LSSTComCam/DRP-v2.yaml');
const labels = (uri: string): string[] => loadPipeline({ uri, env: corpusEnv, catalog }).tasks.map((t) => t.label).sort();

describe('label fragments', () => {
  it('selects the tasks of subset step1 of DRP-RC2', () => {
    // From DRP-RC2.yaml, subsets.step1.subset (read by hand).
    expect(labels(`${rc2}#step1`)).toEqual(['analyzeAmpOffsetMetadata', 'analyzeCalibrateImageMetadata', 'calibrateImage', 'isr', 'transformPreSourceTable']);
  });

  it('keeps only subsets whose tasks all survive a fragment and the steps of those subsets', () => {
    const p = loadPipeline({ uri: `${comCam}#step1a-single-visit-detectors`, env: corpusEnv, catalog });
    expect(p.tasks.map((t) => t.label).sort()).toEqual(['calibrateImage', 'isr', 'standardizeSingleVisitStar']);
    expect(p.steps.map((s) => s.label)).toEqual(['step1a-single-visit-detectors']);
  });

  it('selects a comma-separated list of task labels', () => {
    expect(labels(`${rc2}#isr,calibrateImage`)).toEqual(['calibrateImage', 'isr']);
  });

  it('selects a range by data flow on the LSSTComCam pipeline', () => {
    // base-v2.yaml: isr writes post_isr_image, read by calibrateImage (connections.exposures);
    // calibrateImage writes single_visit_star_unstandardized, read by standardizeSingleVisitStar,
    // whose single_visit_star_detector is read by consolidateSingleVisitStar.
    expect(labels(`${comCam}#isr..consolidateSingleVisitStar`)).toEqual(['calibrateImage', 'consolidateSingleVisitStar', 'isr', 'standardizeSingleVisitStar']);
  });

  it('selects an open-start range (everything upstream of the end, inclusive)', () => {
    expect(labels(`${comCam}#..standardizeSingleVisitStar`)).toEqual(['calibrateImage', 'isr', 'standardizeSingleVisitStar']);
  });

  it('reports the tasks a range could not place because their classes are not in the catalog', () => {
    const p = loadPipeline({ uri: `${comCam}#calibrateImage..`, env: corpusEnv, catalog });
    expect(p.tasks.map((t) => t.label)).toContain('consolidateSingleVisitStar');
    expect(p.notes.some((n) => n.kind === 'unknown-task-class' && n.message.includes('left out of the range'))).toBe(true);
  });

  it('rejects a range whose bound is not a task label, naming the file and label', () => {
    expect(() => loadPipeline({ uri: `${comCam}#isr..nope`, env: corpusEnv, catalog })).toThrow(/end of range subset, 'nope', not found in pipeline definition '.*DRP-v2\.yaml'/);
  });

  it('rejects an unknown label in a fragment, naming the file and label', () => {
    const err = catchError(() => loadPipeline({ uri: `${rc2}#step99`, env: corpusEnv, catalog }));
    expect(err).toBeInstanceOf(PipelineError);
    expect(err.message).toMatch(/in the pipeline '.*DRP-RC2\.yaml'; unknown label\(s\): 'step99'/);
    expect((err as PipelineError).label).toBe('step99');
  });

  it('parses fragment forms and rejects the reference’s malformed ones', () => {
    expect(parsePipelineUri('p.yaml#a..').specifier).toEqual({ kind: 'range', begin: 'a', end: undefined });
    expect(parsePipelineUri('p.yaml#..b').specifier).toEqual({ kind: 'range', begin: undefined, end: 'b' });
    expect(parsePipelineUri('p.yaml#a,b').specifier).toEqual({ kind: 'labels', labels: ['a', 'b'] });
    expect(() => parsePipelineUri('p.yaml#a,b..c')).toThrow(/list of labels or a range/);
    expect(() => parsePipelineUri('p.yaml#a..b..c')).toThrow(/only one range/);
    expect(() => parsePipelineUri('p.yaml#a#b')).toThrow(/only one set of labels/);
    expect(() => parsePipelineUri('p.yaml:step1')).toThrow(/legacy ':'/);
  });
});
