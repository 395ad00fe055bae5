import type { Command } from 'commander';
import { addBuildCommand } from './build-command.js';
import { addExecCommands } from './exec-commands.js';
import { addPipelineCommand } from './pipeline-command.js';
import { addRunCommand } from './run-command.js';
import { addShowCommand } from './show-command.js';

/** Registers every `qg` sub-command on `program`. */
export function addQgCommands(program: Command): void {
  addPipelineCommand(program);
  addBuildCommand(program);
  addShowCommand(program);
  addExecCommands(program);
  addRunCommand(program);
}
