import type { Command } from 'commander';
import { addReportCommands } from './report-commands.js';
import { addRunCommands } from './run-commands.js';
import { addSubmitCommands } from './submit-command.js';

/** Registers every `bps-ts` sub-command on `program`. */
export function addBpsCommands(program: Command): void {
  addSubmitCommands(program);
  addReportCommands(program);
  addRunCommands(program);
}
