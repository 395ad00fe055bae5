import { writeFileSync } from 'node:fs';
import type { GenericWorkflow, GenericWorkflowJob } from '../../workflow/index.js';
import { renderBatchScript } from './batch-script.js';
import { buildBatchJobSpec, commandsKey, slurmScriptFile } from './job-spec.js';
import type { PreparedSlurmSettings } from './prepare.js';
import { appendLedger } from './slurm-ledger.js';
import { submitBatchJob } from './slurm-cli.js';

/**
 * Submits the next attempt of a job that ran and failed, as a plain batch job with its own
 * script (memory of this attempt, its own logs and status file) and no dependency: it ran, so
 * its parents are done. Appends it to the ledger and returns its Slurm id.
 */
export async function submitRetry(options: { readonly workflow: GenericWorkflow; readonly job: GenericWorkflowJob; readonly settings: PreparedSlurmSettings; readonly attempt: number; readonly memoryMiB: number }): Promise<string> {
  const { workflow, job, settings, attempt, memoryMiB } = options;
  const path = slurmScriptFile(workflow.submitPath, job.name, attempt);
  writeFileSync(path, renderBatchScript(buildBatchJobSpec({ workflow, job, settings, cwd: settings.cwd, attempt, memoryMiB })), { mode: 0o755 });
  const { jobId } = await submitBatchJob({ scriptPath: path });
  appendLedger(workflow.submitPath, [{ job: job.name, attempt, jobId, memoryMiB, commandsKey: commandsKey(job), held: false, submittedAt: Date.now() }]);
  return jobId;
}
