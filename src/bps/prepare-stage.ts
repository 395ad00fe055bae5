import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { searchString, type BpsConfig } from '../config/index.js';
import { getSitePlugin, type PreparedSite } from '../sites/index.js';
import type { Logger } from '../util/index.js';
import type { GenericWorkflow } from '../workflow/index.js';
import type { StageCounts } from './stage-log.js';

/** The file recording the prepare stage's result in the submit directory. */
export const PREPARED_SITE_FILE = 'prepared-site.json';

/** The site kind of a config: `site.<computeSite>.siteType`, else the compute site's name. */
export function readSiteType(config: BpsConfig): string {
  return searchString(config, 'siteType') ?? searchString(config, 'computeSite') ?? 'local';
}

/** The prepare stage: the site writes its files; the result is kept in `prepared-site.json` (reused on resume). */
export async function prepareStage(options: { config: BpsConfig; workflow: GenericWorkflow; submitPath: string; cwd: string; log: Logger; reuse: boolean }): Promise<{ value: PreparedSite; counts: StageCounts }> {
  const file = join(options.submitPath, PREPARED_SITE_FILE);
  if (options.reuse && existsSync(file)) {
    const prepared = JSON.parse(readFileSync(file, 'utf8')) as PreparedSite;
    return { value: prepared, counts: { site: prepared.siteType, files: prepared.files.length, reused: true } };
  }
  const siteType = readSiteType(options.config);
  const prepared = await getSitePlugin(siteType).prepare({ workflow: options.workflow, config: options.config, submitPath: options.submitPath, cwd: options.cwd, log: options.log });
  writeFileSync(file, `${JSON.stringify(prepared, null, 2)}\n`);
  return { value: prepared, counts: { site: siteType, files: prepared.files.length } };
}
