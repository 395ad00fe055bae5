import type { Command } from 'commander';
import { addPipelineCommand } from './pipeline-command.js';

/** Registers every `qg` sub-command on `program`. */
export function addQgCommands(program: Command): void {
  addPipelineCommand(program);
}
