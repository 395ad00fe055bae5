/**
 * Quantum execution: `run-qbb` (one quantum from the graph's refs, no registry), init-outputs,
 * local parallel execution with worker processes, and the per-quantum records aggregation reads.
 * @packageDocumentation
 */
export { runQuantum } from './run-quantum.js';
export type { QuantumOutcome, RunQuantumOptions } from './run-quantum.js';
export { executeQuanta } from './local-executor.js';
export type { ExecuteQuantaOptions, ExecutionResult } from './local-executor.js';
export { writeInitOutputs } from './init-outputs.js';
export type { WrittenInitOutput } from './init-outputs.js';
export { readProvenanceRecord } from './provenance-record.js';
export type { ProvenanceRecord } from './provenance-record.js';
export { logPath, provenancePath, quantumRecordDir } from './quantum-files.js';
export { hashConfig, softwareVersion } from './software.js';
export { injectedFailure } from './failure-injection.js';
