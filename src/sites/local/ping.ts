import { availableParallelism, hostname } from 'node:os';
import type { BpsConfig } from '../../config/index.js';
import type { PingResult } from '../site-plugin.js';
import { findExecutable, readLocalSettings } from './prepare.js';

/** Checks that `qgExecutable` can be started here and says how many jobs would run at once. */
export async function pingLocal(options: { readonly config: BpsConfig }): Promise<PingResult> {
  const value = options.config.search('qgExecutable', { default: 'qg' });
  const exe = String(Array.isArray(value) ? value[0] : value);
  const found = findExecutable(exe);
  const settings = readLocalSettings(options.config, '.');
  const where = `host ${hostname()}, ${availableParallelism()} cores, maxJobs ${settings.maxJobs}`;
  return found
    ? { ok: true, detail: `local site ready on ${where}; qg: ${Array.isArray(value) ? value.join(' ') : found}` }
    : { ok: false, detail: `local site on ${where}: qgExecutable '${exe}' was not found (PATH or file)` };
}
