import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GenericWorkflow } from '../../workflow/index.js';
import { findExecutable } from '../local/index.js';
import { SiteError } from '../site-error.js';
import type { PreparedSite, PrepareOptions } from '../site-plugin.js';
import { makeDagBaseName } from './dag-writer.js';
import { HTCONDOR_SITE_FILE, readHtcondorSettings } from './htcondor-settings.js';
import { writeHtcondorFiles } from './write-htcondor-files.js';

/**
 * Checks that every job's executables exist on the submit host (HTCondor does no PATH lookup
 * and the jobs run with `transfer_executable = False`, so a shared file system is assumed).
 */
export function checkHtcondorCommands(workflow: GenericWorkflow): void {
  const seen = new Set<string>();
  for (const job of workflow.jobs) {
    for (const command of job.commands) {
      const exe = command[0];
      if (exe === undefined || seen.has(exe)) continue;
      seen.add(exe);
      if (findExecutable(exe) === undefined) {
        throw new SiteError(`executable '${exe}' of job '${job.name}' was not found on the submit host (PATH or file)`, { site: 'htcondor', command, hint: 'set qgExecutable in the bps config to an absolute path visible to the execute nodes' });
      }
    }
  }
}

/** The HTCondor site's prepare stage: writes the DAG, submit descriptions, POST script and `htcondor-site.json`. */
export async function prepareHtcondor(options: PrepareOptions): Promise<PreparedSite> {
  const { workflow } = options;
  checkHtcondorCommands(workflow);
  const submitWorkflow = workflow.submitPath === options.submitPath ? workflow : { ...workflow, submitPath: options.submitPath };
  const settings = readHtcondorSettings(options.config, join(options.submitPath, `${makeDagBaseName(workflow)}.dag`));
  const written = await writeHtcondorFiles({
    workflow: submitWorkflow,
    categoryLimits: settings.categoryLimits,
    retryMode: settings.retryMode,
    ...(settings.memoryLimit === undefined ? {} : { memoryLimit: settings.memoryLimit }),
    ...(settings.requestDiskMiB === undefined ? {} : { requestDiskMiB: settings.requestDiskMiB }),
  });
  const file = join(options.submitPath, HTCONDOR_SITE_FILE);
  await writeFile(file, `${JSON.stringify({ siteType: 'htcondor', ...settings, dagFile: written.dagFile }, null, 2)}\n`);
  options.log.info({ dagFile: written.dagFile, files: written.files.length }, 'htcondor: DAG written');
  return { siteType: 'htcondor', files: [...written.files, file], settings: JSON.parse(JSON.stringify({ ...settings, dagFile: written.dagFile })) as Record<string, unknown> };
}
