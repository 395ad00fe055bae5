#!/usr/bin/env node
import { Command } from 'commander';
import { runCli } from './run-cli.js';
import { addBpsCommands } from './bps/index.js';
import { addPilotCommands } from './bps/pilot-commands.js';

const program = new Command('bps-ts').description('Submit, monitor, report, restart and cancel batch workflows');
addBpsCommands(program);
addPilotCommands(program);
await runCli(program, process.argv);
