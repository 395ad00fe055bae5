import type { SiteDetailTable } from '../site-plugin.js';
import { formatPilotTables, readPilotState } from './pilot-state-file.js';

/** The blocks and workers of a pilot run, from `pilot/pilot-state.json` (empty before any coordinator ran). */
export async function detailsPilot(options: { readonly submitPath: string }): Promise<SiteDetailTable[]> {
  const doc = readPilotState(options.submitPath);
  return doc === undefined ? [] : formatPilotTables(doc);
}
