import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeTempDir } from '../support/temp-dirs.js';

/** Writes the given files into a fresh temporary directory and returns its path. */
export function writeFixtures(files: Record<string, string>): string {
  const dir = makeTempDir('bps-pipeline-');
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

/** The HSC demo chain as a pipeline, using the classes of pipelines/catalog/demo.yaml. */
export const DEMO_PIPELINE = `description: HSC demo chain
instrument: lsst.obs.subaru.HyperSuprimeCam
tasks:
  isr: lsst.ip.isr.IsrTask
  characterizeImage: lsst.pipe.tasks.characterizeImage.CharacterizeImageTask
  calibrate: lsst.pipe.tasks.calibrate.CalibrateTask
  makeWarp: lsst.pipe.tasks.makeWarp.MakeWarpTask
  assembleCoadd: lsst.pipe.tasks.assembleCoadd.AssembleCoaddTask
  detection: lsst.pipe.tasks.multiBand.DetectCoaddSourcesTask
  mergeDetections: lsst.pipe.tasks.mergeDetections.MergeDetectionsTask
  measure: lsst.pipe.tasks.multiBand.MeasureMergedCoaddSourcesTask
  mergeMeasurements: lsst.pipe.tasks.mergeMeasurements.MergeMeasurementsTask
  forcedPhotCoadd: lsst.meas.base.forcedPhotCoadd.ForcedPhotCoaddTask
subsets:
  processCcd: [isr, characterizeImage, calibrate]
  coaddition: [makeWarp, assembleCoadd]
  multiband: [detection, mergeDetections, measure, mergeMeasurements, forcedPhotCoadd]
steps:
  - label: processCcd
    dimensions: [visit, detector]
  - label: coaddition
    dimensions: [tract]
  - label: multiband
    dimensions: [tract]
`;
