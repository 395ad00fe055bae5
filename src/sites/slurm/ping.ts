import type { BpsConfig } from '../../config/index.js';
import type { PingResult } from '../site-plugin.js';
import { pingSlurm } from './slurm-cli.js';
import { readSlurmSettings } from './slurm-settings.js';

/** Asks the controller for its partitions; ok when the configured (or default) partition is up. */
export async function pingSlurmSite(options: { readonly config: BpsConfig }): Promise<PingResult> {
  const settings = readSlurmSettings(options.config);
  let partitions;
  try {
    partitions = await pingSlurm();
  } catch (err) {
    return { ok: false, detail: `Slurm controller did not answer: ${(err as Error).message}` };
  }
  const wanted = settings.partition === null ? partitions.find((p) => p.isDefault) : partitions.find((p) => p.name === settings.partition);
  const list = partitions.map((p) => `${p.name}${p.isDefault ? '*' : ''} ${p.availability} (${p.nodeStates.idle} idle of ${p.nodeStates.total} nodes)`).join(', ');
  if (wanted === undefined) {
    return { ok: false, detail: `Slurm partition ${settings.partition === null ? '(default)' : `'${settings.partition}'`} not found; partitions: ${list || 'none'}` };
  }
  return wanted.availability === 'up'
    ? { ok: true, detail: `Slurm ready; partitions: ${list}` }
    : { ok: false, detail: `Slurm partition '${wanted.name}' is ${wanted.availability}; partitions: ${list}` };
}
