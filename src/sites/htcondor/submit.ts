import { readdirSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { SubmitOptions, SubmitResult } from '../site-plugin.js';
import { makeNodeNames } from './dag-writer.js';
import { followHtcondorRun } from './follow-htcondor-run.js';
import type { HtcondorSiteSettings } from './htcondor-settings.js';
import { parseSubmitClusterId } from './parse-condor-q.js';
import { runCondorCommand } from './run-condor-command.js';
import { formatSubmitDescription, makeSubmitFilePath } from './submit-writer.js';

/** Number of the newest `<dag>.rescueNNN` next to the DAG (0: none). */
export function findLastRescue(dagFile: string): number {
  const prefix = `${basename(dagFile)}.rescue`;
  let last = 0;
  for (const f of readdirSync(dirname(dagFile))) {
    if (f.startsWith(prefix) && /^\d{3}$/.test(f.slice(prefix.length))) last = Math.max(last, Number(f.slice(prefix.length)));
  }
  return last;
}

/**
 * Writes the jobs already done as a new rescue DAG (`DONE node` lines): DAGMan starts from
 * the newest rescue file, so they are not run again.
 */
async function writeDoneRescue(options: SubmitOptions, dagFile: string): Promise<void> {
  const names = makeNodeNames(options.workflow.jobs);
  const done = options.workflow.jobs.filter((j) => options.done?.has(j.name) && !j.runAlways).map((j) => names.get(j.name)!);
  if (done.length === 0) return;
  const number = String(findLastRescue(dagFile) + 1).padStart(3, '0');
  const text = ['# Rescue DAG file, written by bps-ts for a restart: jobs already done', `#   of the ${dagFile} DAG file`, '', ...done.map((n) => `DONE ${n}`), ''].join('\n');
  await writeFile(`${dagFile}.rescue${number}`, text);
}

/** Rewrites the submit descriptions of jobs that keep memory earned by earlier out-of-memory retries. */
async function writeEarnedMemory(options: SubmitOptions, settings: HtcondorSiteSettings): Promise<void> {
  for (const job of options.workflow.jobs) {
    const mem = options.memoryMiB?.get(job.name);
    if (mem === undefined || mem <= job.resources.requestMemory) continue;
    const text = formatSubmitDescription({
      workflow: options.workflow,
      job: { ...job, resources: { ...job.resources, requestMemory: mem } },
      retryMode: settings.retryMode,
      ...(settings.memoryLimit === undefined ? {} : { memoryLimit: settings.memoryLimit }),
      ...(settings.requestDiskMiB === undefined ? {} : { requestDiskMiB: settings.requestDiskMiB }),
    });
    await writeFile(join(options.workflow.submitPath, makeSubmitFilePath(job)), text);
  }
}

/**
 * Submits the DAG with `condor_submit_dag -batch-name <run> <dag>` from the submit directory
 * and returns `htcondor:<DAGMan cluster id>` at once: DAGMan runs the jobs, retries them and
 * grows their memory itself. Jobs in `done` are skipped through a rescue DAG; memory kept
 * from earlier runs is written into their submit descriptions. Given a `signal`, submit stays
 * attached: it follows the run to its end, feeding the recorder, and aborting removes the DAG.
 */
export async function submitHtcondor(options: SubmitOptions): Promise<SubmitResult> {
  const settings = options.prepared.settings as unknown as HtcondorSiteSettings;
  const dagFile = settings.dagFile;
  await writeEarnedMemory(options, settings);
  if (options.done !== undefined && options.done.size > 0) await writeDoneRescue(options, dagFile);
  // DAGMan rewrites it; an old one saying "finished" must not be taken for the new run's.
  rmSync(`${dagFile.replace(/\.dag$/, '')}.node_status`, { force: true });
  const stdout = await runCondorCommand(['condor_submit_dag', '-batch-name', options.workflow.name, dagFile], { cwd: dirname(dagFile) });
  const siteRunId = `htcondor:${parseSubmitClusterId(stdout)}`;
  options.log.info({ siteRunId, dagFile }, 'htcondor: DAG submitted');
  options.onStarted?.(siteRunId);
  if (options.signal === undefined) return { siteRunId, finished: false };
  await followHtcondorRun(options, siteRunId, { signal: options.signal });
  return { siteRunId, finished: true };
}
