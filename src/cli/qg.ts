#!/usr/bin/env node
import { Command } from 'commander';
import { runCli } from './run-cli.js';
import { addQgCommands } from './qg/index.js';

const program = new Command('qg').description('Expand pipelines, build, show and run quantum graphs');
addQgCommands(program);
await runCli(program, process.argv);
