#!/usr/bin/env node
import { Command } from 'commander';
import { runCli } from './run-cli.js';
import { addButlerCommands } from './butler/index.js';

const program = new Command('butler-ts').description('Create and query bps-ts data repositories (registry + datastore)');
addButlerCommands(program);
await runCli(program, process.argv);
