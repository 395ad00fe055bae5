import { existsSync } from 'node:fs';
import path from 'node:path';
import { applyImportSelection } from './import-pipeline.js';
import { mergePipelines, verifySubsetsAndSteps } from './merge-pipelines.js';
import { parsePipelineDocument } from './parse-pipeline-document.js';
import { PipelineError } from './pipeline-errors.js';
import type { PipelineDocument } from './pipeline-types.js';
import { readYamlFile } from './read-pipeline-yaml.js';

/** Environment used to expand `$VAR` / `${VAR}` in import locations. */
export type PipelineEnv = Readonly<Record<string, string | undefined>>;

/**
 * Expands `$VAR` and `${VAR}` in `text`. Unlike Python's `os.path.expandvars`, an unset variable
 * is an error naming the variable and the file that used it, not a path that silently fails.
 */
export function expandEnvVars(text: string, env: PipelineEnv, file: string): string {
  return text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_m, braced?: string, bare?: string) => {
    const name = (braced ?? bare) as string;
    const value = env[name];
    if (value === undefined) {
      throw new PipelineError(`environment variable $${name} used in '${text}' (in '${file}') is not set`, {
        file,
        key: 'imports.location',
        hint: `export ${name}=<directory> before loading the pipeline`,
      });
    }
    return value;
  });
}

function locate(location: string, importer: string): string {
  if (path.isAbsolute(location) || existsSync(location)) return path.resolve(location);
  // The reference resolves relative locations against the working directory; falling back to
  // the importing file's directory lets self-contained pipeline folders work from anywhere.
  const sibling = path.resolve(path.dirname(importer), location);
  return existsSync(sibling) ? sibling : path.resolve(location);
}

/**
 * Reads a pipeline file and, recursively, everything it imports, merging imports with the
 * reference's rules. Import cycles are an error naming the chain of files.
 */
export function readPipelineFile(file: string, env: PipelineEnv, chain: readonly string[] = []): PipelineDocument {
  const absolute = path.resolve(file);
  if (chain.includes(absolute)) {
    throw new PipelineError(`pipeline import cycle: ${[...chain, absolute].join(' -> ')}`, { file: absolute, key: 'imports' });
  }
  const { doc, imports } = parsePipelineDocument(readYamlFile(absolute), absolute);
  const loaded = imports.map((decl) => {
    const location = locate(expandEnvVars(decl.location, env, absolute), absolute);
    if (!existsSync(location)) {
      throw new PipelineError(`imported pipeline '${decl.location}' (resolved to '${location}') does not exist (imported by '${absolute}')`, {
        file: absolute,
        key: 'imports.location',
        hint: 'check the path and the environment variables it uses',
      });
    }
    return applyImportSelection(decl, readPipelineFile(location, env, [...chain, absolute]));
  });
  mergePipelines(doc, loaded);
  verifySubsetsAndSteps(doc);
  return doc;
}
