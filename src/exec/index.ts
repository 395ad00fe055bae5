/**
 * Quantum execution: `run-qbb` (one quantum from the graph's refs, no registry), init-outputs,
 * local parallel execution with worker processes, and the per-quantum records aggregation reads.
 * @packageDocumentation
 */
/** One quantum, and what a batch job runs (`qg run-qbb`: several quanta of a saved graph). */
export { runQuantum } from './run-quantum.js';
export { closeRunQbbGraphs, expandQuantumIdArguments, runQbb } from './run-qbb.js';
export type { RunQbbOptions, RunQbbResult } from './run-qbb.js';
export type { QuantumOutcome, RunQuantumOptions } from './run-quantum.js';
export { executeQuanta } from './local-executor.js';
export type { ExecuteQuantaOptions, ExecutionResult } from './local-executor.js';
export { writeInitOutputs } from './init-outputs.js';
export type { WrittenInitOutput } from './init-outputs.js';
export { appendQuantumRecord, closeQuantumJournals, readQuantumRecords } from './quantum-journal.js';
export type { ProvenanceRecord } from './provenance-record.js';
export { journalDir, logPath, quantumRecordDir } from './quantum-files.js';
export { hashConfig, softwareVersion } from './software.js';
export { injectedFailure } from './failure-injection.js';
