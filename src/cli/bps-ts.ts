#!/usr/bin/env node
import { Command } from 'commander';
import { runCli } from './run-cli.js';

const program = new Command('bps-ts').description('Submit, monitor, report, restart and cancel batch workflows');
await runCli(program, process.argv);
