import type { ConfigObject } from './config-values.js';
import type { ContractCheckSummary } from './check-contracts.js';
import type { PipelineNote } from './pipeline-notes.js';
import type { ConfigBlock, ContractDeclaration, LabeledSubset, PipelineDocument, StepDeclaration } from './pipeline-types.js';

/** A task of an expanded pipeline, with its config resolved. */
export interface ExpandedTask {
  label: string;
  taskClass: string;
  /** Catalog defaults plus every override, parameters substituted (nested mapping). */
  config: ConfigObject;
  /** The declared config blocks, in application order (what a saved pipeline contains). */
  blocks: ConfigBlock[];
  /** File that declared the task. */
  source: string;
  /** Whether the task catalog knows the class (needed to resolve connections). */
  inCatalog: boolean;
}

/** A pipeline after imports, the label fragment, overrides and config resolution. */
export interface ExpandedPipeline {
  /** Absolute path of the root pipeline file. */
  source: string;
  /** The `#fragment` it was loaded with, if any. */
  fragment: string | undefined;
  description: string;
  instrument: string | undefined;
  parameters: ConfigObject;
  /** Tasks in pipeline order (imports first, like the reference). */
  tasks: ExpandedTask[];
  subsets: LabeledSubset[];
  steps: StepDeclaration[];
  contracts: ContractDeclaration[];
  contractSummary: ContractCheckSummary;
  /** Non-fatal findings: opaque Python/file config, unverified contracts, unknown classes... */
  notes: PipelineNote[];
  /** The merged document, with CLI overrides, as it would be saved. */
  document: PipelineDocument;
}
