import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { resolveJobLogPaths, type GenericWorkflow } from '../../workflow/index.js';
import { FINAL_POST_SCRIPT, formatDag, formatFinalPostScript, makeDagBaseName, type DagWriterOptions } from './dag-writer.js';
import { formatSubmitDescription, makeSubmitFilePath, type SubmitDescriptionOptions } from './submit-writer.js';

/** Options of {@link writeHtcondorFiles}: the DAG options plus the per-job submit options. */
export interface WriteHtcondorFilesOptions extends DagWriterOptions, Omit<SubmitDescriptionOptions, 'job' | 'workflow'> {
  readonly workflow: GenericWorkflow;
}

/** What {@link writeHtcondorFiles} wrote. */
export interface HtcondorFiles {
  /** Absolute path of the DAG file; submit it from its directory. */
  readonly dagFile: string;
  /** Absolute paths of every file written, DAG first. */
  readonly files: readonly string[];
}

async function writeAtomic(path: string, text: string, mode = 0o644): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, text, { mode });
  await chmod(tmp, mode);
  await rename(tmp, path);
}

/**
 * Writes the DAG, one submit description per job, the FINAL node's POST script, and the
 * directories of the jobs' logs (HTCondor does not create them: a missing output directory
 * holds the job) under `workflow.submitPath`.
 */
export async function writeHtcondorFiles(options: WriteHtcondorFilesOptions): Promise<HtcondorFiles> {
  const { workflow } = options;
  const root = workflow.submitPath;
  const dagFile = join(root, `${makeDagBaseName(workflow)}.dag`);
  const files: string[] = [dagFile];
  const dagText = formatDag(options);
  for (const job of workflow.jobs) {
    const logs = resolveJobLogPaths(root, job);
    await mkdir(dirname(logs.stdout), { recursive: true });
    await mkdir(dirname(logs.stderr), { recursive: true });
    const path = join(root, makeSubmitFilePath(job));
    await writeAtomic(path, formatSubmitDescription({ ...options, job }));
    files.push(path);
  }
  if (workflow.jobs.some((j) => j.runAlways)) {
    const post = join(root, FINAL_POST_SCRIPT);
    await writeAtomic(post, formatFinalPostScript(), 0o755);
    files.push(post);
  }
  // The DAG last: its presence means every file it names is complete.
  await writeAtomic(dagFile, dagText);
  return { dagFile, files };
}
