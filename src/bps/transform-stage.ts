import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusteredQuantumGraph } from '../cluster/index.js';
import type { BpsConfig } from '../config/index.js';
import type { QuantumGraph } from '../graph/index.js';
import { readGenericWorkflow, transformWorkflow, writeGenericWorkflow, writeQuantumIdFiles, type GenericWorkflow } from '../workflow/index.js';
import type { StageCounts } from './stage-log.js';

/** The generic-workflow file of a submit directory. */
export function workflowFile(submitPath: string, name: string): string {
  return join(submitPath, `${name}.workflow.json`);
}

/** The transform stage: reuses `<name>.workflow.json` when present, else builds the generic workflow and writes it. */
export async function transformStage(options: {
  config: BpsConfig; submitPath: string; name: string; graphFile: string; clustered: () => Promise<ClusteredQuantumGraph>; graph: () => QuantumGraph;
}): Promise<{ value: GenericWorkflow; counts: StageCounts }> {
  const file = workflowFile(options.submitPath, options.name);
  if (existsSync(file)) {
    const workflow = readGenericWorkflow(file);
    return { value: workflow, counts: { jobs: workflow.jobs.length, reused: true } };
  }
  const { workflow, counts } = transformWorkflow({ config: options.config, clustered: await options.clustered(), graph: options.graph(), graphFile: options.graphFile });
  writeQuantumIdFiles(workflow);
  writeGenericWorkflow(file, workflow);
  return { value: workflow, counts: { jobs: counts.jobs, payloadJobs: counts.payloadJobs, quanta: counts.quanta, dependencies: counts.dependencies, final: counts.hasFinal } };
}
