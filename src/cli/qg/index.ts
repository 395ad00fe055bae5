import type { Command } from 'commander';

/** Registers every `qg` sub-command on `program`. */
export function addQgCommands(program: Command): void {
  void program;
}
