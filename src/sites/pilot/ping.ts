import type { BpsConfig } from '../../config/index.js';
import { findExecutable } from '../local/index.js';
import type { PingResult } from '../site-plugin.js';
import { pingSlurmSite } from '../slurm/index.js';
import { readPilotSettings } from './pilot-settings.js';

/** Checks the settings, the worker command, and that Slurm answers with the partition up. */
export async function pingPilot(options: { readonly config: BpsConfig }): Promise<PingResult> {
  let settings;
  try {
    settings = readPilotSettings(options.config);
  } catch (err) {
    return { ok: false, detail: `pilot settings: ${(err as Error).message}` };
  }
  const worker = settings.workerCommand[0] ?? '';
  if (findExecutable(worker) === undefined) return { ok: false, detail: `pilot worker command '${settings.workerCommand.join(' ')}': '${worker}' was not found` };
  const slurm = await pingSlurmSite(options);
  const shape = `blocks of ${settings.nodesPerBlock} node(s) x ${settings.coresPerNode} cores, ${settings.memoryPerNode} MiB, ${settings.minBlocks}-${settings.maxBlocks} blocks`;
  return { ok: slurm.ok, detail: `pilot site (${shape}); ${slurm.detail}` };
}
