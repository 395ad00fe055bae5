import { basename, join } from 'node:path';
import { UsageError } from '../errors/index.js';
import { readQuantumGraph, writeQuantumGraph, type QuantumGraph } from '../graph/index.js';
import { parseConfigValueText, setConfigPath, type ConfigObject } from '../pipeline/index.js';
import { writeGenericWorkflow, type GenericWorkflow } from '../workflow/index.js';

/** A task-config amendment `label:key=value`. */
export interface ConfigAmendment {
  readonly label: string;
  readonly key: string;
  readonly value: string;
}

/** Parses `label:key=value` amendments (the `-c` of `qg build`). */
export function parseAmendments(texts: readonly string[]): ConfigAmendment[] {
  return texts.map((text) => {
    const m = /^([^:=\s]+):([^=\s]+)=(.*)$/s.exec(text);
    if (!m) throw new UsageError(`-c '${text}' must look like label:key=value`, { hint: "e.g. -c processCcd:injectFailure= (an empty value clears it)" });
    return { label: m[1]!, key: m[2]!, value: m[3]! };
  });
}

/** Task configs of a graph with amendments applied (a new graph; quanta unchanged). */
export function amendGraphConfig(graph: QuantumGraph, amendments: readonly ConfigAmendment[]): QuantumGraph {
  const labels = new Set(graph.header.tasks.map((t) => t.label));
  for (const a of amendments) {
    if (!labels.has(a.label)) throw new UsageError(`-c '${a.label}:${a.key}=...': task '${a.label}' is not in the run's graph`, { hint: `tasks: ${[...labels].join(', ')}` });
  }
  const tasks = graph.header.tasks.map((t) => {
    const mine = amendments.filter((a) => a.label === t.label);
    if (mine.length === 0) return t;
    const config = structuredClone(t.config) as ConfigObject;
    for (const a of mine) setConfigPath(config, a.key, a.value === '' ? '' : parseConfigValueText(a.value));
    return { ...t, config };
  });
  return { header: { ...graph.header, tasks }, quanta: graph.quanta };
}

/**
 * Applies task-config amendments for a restart: writes the amended graph next to the old
 * one (`<name>.r<N>.qg`) and a workflow whose commands read it (`<name>.r<N>.workflow.json`).
 * Quantum ids, outputs and the output run stay the same, so succeeded quanta are skipped by
 * `run-qbb` and the provenance of rerun quanta records the new config hash.
 */
export function writeAmendedRun(options: { graphFile: string; workflow: GenericWorkflow; submitPath: string; submission: number; amendments: readonly ConfigAmendment[] }): { graphFile: string; workflowFile: string } {
  const graph = amendGraphConfig(readQuantumGraph(options.graphFile), options.amendments);
  const stem = options.workflow.name;
  const graphFile = join(options.submitPath, `${stem}.r${options.submission}.qg`);
  writeQuantumGraph(graphFile, graph);
  const old = options.graphFile;
  const jobs = options.workflow.jobs.map((j) => ({ ...j, commands: j.commands.map((c) => c.map((arg) => (arg === old ? graphFile : arg))) }));
  const workflow: GenericWorkflow = { ...options.workflow, graphFile, jobs };
  const workflowFile = join(options.submitPath, `${stem}.r${options.submission}.workflow.json`);
  writeGenericWorkflow(workflowFile, workflow);
  if (!jobs.some((j) => j.commands.some((c) => c.includes(graphFile)))) {
    throw new UsageError(`no job command of '${basename(options.workflow.name)}' names the graph file '${old}'; cannot point the jobs at the amended graph`, { hint: 'restart without -c, or submit again' });
  }
  return { graphFile, workflowFile };
}
