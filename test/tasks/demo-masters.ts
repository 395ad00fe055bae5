import type { DemoData } from '../../src/demo/index.js';
import { createExposure, readDataset, type Exposure } from '../../src/tasks/index.js';

/**
 * Master frames from the raw calibration frames of the demo data: mean bias per detector (ADU);
 * mean bias-subtracted flat per detector and band, normalised to a mean of 1.
 */
export async function buildMasters(data: DemoData): Promise<{ bias: Map<number, Exposure>; flat: Map<string, Exposure> }> {
  const bias = new Map<number, Exposure>();
  const flat = new Map<string, Exposure>();
  const raws = async (type: string, detector: number, band?: string) => Promise.all(
    data.rawFiles.filter((f) => f.type === type && f.detector === detector && (band === undefined || f.band === band)).map(async (f) => (await readDataset('Exposure', f.path)) as Exposure),
  );
  for (const detector of data.plan.options.detectors) {
    const frames = await raws('bias', detector);
    const master = createExposure({ width: frames[0]!.width, height: frames[0]!.height });
    for (let k = 0; k < master.image.length; k++) master.image[k] = frames.reduce((s, f) => s + f.image[k]!, 0) / frames.length;
    bias.set(detector, master);
    for (const band of data.plan.options.bands) {
      const flats = await raws('flat', detector, band);
      const f = createExposure({ width: master.width, height: master.height });
      for (let k = 0; k < f.image.length; k++) f.image[k] = flats.reduce((s, x) => s + x.image[k]!, 0) / flats.length - master.image[k]!;
      const norm = f.image.reduce((a, b) => a + b, 0) / f.image.length;
      for (let k = 0; k < f.image.length; k++) f.image[k]! /= norm;
      flat.set(`${detector}:${band}`, f);
    }
  }
  return { bias, flat };
}
