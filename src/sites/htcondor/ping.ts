import type { BpsConfig } from '../../config/index.js';
import { findExecutable } from '../local/index.js';
import type { PingResult } from '../site-plugin.js';
import { parseCondorJobs } from './parse-condor-q.js';
import { runCondorCommand } from './run-condor-command.js';

const TOOLS = ['condor_submit_dag', 'condor_q', 'condor_rm', 'condor_history'] as const;

/** Checks that the HTCondor tools are on PATH and that `condor_q -json` answers. */
export async function pingHtcondor(_options: { readonly config: BpsConfig }): Promise<PingResult> {
  const missing = TOOLS.filter((t) => findExecutable(t) === undefined);
  if (missing.length > 0) return { ok: false, detail: `HTCondor tools not found on PATH: ${missing.join(', ')}` };
  try {
    const jobs = parseCondorJobs(await runCondorCommand(['condor_q', '-json'], { timeoutMs: 30_000 }), 'condor_q -json');
    return { ok: true, detail: `HTCondor ready: ${findExecutable('condor_submit_dag')}; condor_q answered (${jobs.length} job(s) in the queue)` };
  } catch (e) {
    return { ok: false, detail: `HTCondor tools found but condor_q failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}
