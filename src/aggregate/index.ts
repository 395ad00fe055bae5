/**
 * Registry side of a run: `pre-exec-init` (dataset types, run, output chain, init-outputs) and
 * `aggregate-graph` (outputs and provenance folded into the registry, failed and blocked quanta
 * recorded).
 * @packageDocumentation
 */
export { preExecInit, updateOutputChain } from './pre-exec-init.js';
export { aggregateGraph } from './aggregate-graph.js';
export type { AggregateResult, AggregatedStatus, QuantumProblem } from './aggregate-graph.js';
