import { resolve } from 'node:path';
import { projectRoot } from '../support/cli.js';

/** A file of the shared corpus (`../shared/corpus/` next to the project). */
export function corpusFile(rel: string): string {
  return resolve(projectRoot, '../shared/corpus', rel);
}

export const CTRL_BPS = 'bps/ctrl_bps';
export const LOVOCCS_CONFIG = resolve(projectRoot, 'test/fixtures/bps/lovoccs-bps-config.yaml');
