import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import { WorkflowError } from './workflow-error.js';
import { GENERIC_WORKFLOW_FORMAT_VERSION, JobKind, type GenericWorkflow } from './workflow-types.js';

/** The workflow as JSON text (one job per line keeps large files diffable). */
export function formatGenericWorkflow(workflow: GenericWorkflow): string {
  const { jobs, ...rest } = workflow;
  const head = JSON.stringify(rest).slice(0, -1);
  return `${head},"jobs":[\n${jobs.map((j) => JSON.stringify(j)).join(',\n')}\n]}\n`;
}

/** Writes the workflow file atomically (temp file + rename), creating its folder. */
export function writeGenericWorkflow(path: string, workflow: GenericWorkflow): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, formatGenericWorkflow(workflow));
  renameSync(tmp, path);
}

/**
 * Writes the quantum-id files of the jobs whose ids do not fit on their command line
 * (`quantumIdsFile`, one id per line) into the submit directory.
 */
export function writeQuantumIdFiles(workflow: GenericWorkflow): void {
  for (const job of workflow.jobs) {
    if (job.quantumIdsFile === undefined) continue;
    const rel = normalize(job.quantumIdsFile);
    if (isAbsolute(rel) || rel.startsWith('..')) throw new WorkflowError(`quantum-id file '${job.quantumIdsFile}' of job '${job.name}' leaves the submit directory`, { hint: 'regenerate the workflow with the transform stage' });
    const path = join(workflow.submitPath, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${job.quantumIds.join('\n')}\n`);
  }
}

/** Parses and checks workflow JSON; `file` names the source in errors. */
export function parseGenericWorkflow(text: string, file = '<text>'): GenericWorkflow {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw new WorkflowError(`generic workflow '${file}' is not valid JSON: ${(cause as Error).message}`, { file, cause, hint: 'regenerate it with the transform stage' });
  }
  const fail = (what: string): never => {
    throw new WorkflowError(`generic workflow '${file}': ${what}`, { file, hint: 'regenerate it with the transform stage' });
  };
  if (typeof doc !== 'object' || doc === null) return fail('not a JSON object');
  const wf = doc as Record<string, unknown>;
  if (wf['formatVersion'] !== GENERIC_WORKFLOW_FORMAT_VERSION) fail(`format version ${JSON.stringify(wf['formatVersion'])}, expected ${GENERIC_WORKFLOW_FORMAT_VERSION}`);
  for (const key of ['name', 'submitPath', 'repo', 'graphFile', 'computeSite']) if (typeof wf[key] !== 'string') fail(`'${key}' must be a string`);
  if (!Array.isArray(wf['jobs'])) return fail("'jobs' must be a list");
  const names = new Set<string>();
  (wf['jobs'] as unknown[]).forEach((job, i) => {
    const j = job as Record<string, unknown>;
    if (typeof j !== 'object' || j === null || typeof j['name'] !== 'string' || !/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(j['name'])) fail(`job ${i} has no valid name`);
    const name = j['name'] as string;
    if (names.has(name)) fail(`job name '${name}' appears twice`);
    if (!(JobKind as readonly unknown[]).includes(j['kind'])) fail(`job '${name}' has an unknown kind ${JSON.stringify(j['kind'])}`);
    const commands = j['commands'];
    if (!Array.isArray(commands) || commands.length === 0 || !commands.every((c) => Array.isArray(c) && c.length > 0 && c.every((a) => typeof a === 'string'))) fail(`job '${name}' needs commands as lists of strings`);
    if (!Array.isArray(j['parents']) || !(j['parents'] as unknown[]).every((p) => typeof p === 'string' && names.has(p))) fail(`job '${name}' names a parent that does not come before it`);
    if (typeof j['stdout'] !== 'string' || typeof j['stderr'] !== 'string') fail(`job '${name}' has no log paths`);
    names.add(name);
  });
  return doc as GenericWorkflow;
}

/** Reads a workflow file written by {@link writeGenericWorkflow}. */
export function readGenericWorkflow(path: string): GenericWorkflow {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new WorkflowError(`cannot read generic workflow '${path}': ${(cause as Error).message}`, { file: path, cause, hint: 'run the transform stage first' });
  }
  return parseGenericWorkflow(text, path);
}
